/**
 * A loopback Google Sheets API v4 for the tests: in-memory spreadsheets served on the methods the
 * google-sheets application uses, in Google's shapes, plus Google's token and authorization
 * endpoints (fake-google-oauth.ts).
 *
 * Every request is matched to a method of Google's generated client (@googleapis/sheets: path
 * template, HTTP method, path and query parameters, request body type; sheets-material.ts) and
 * checked against it; every answer the fake gives is checked against the method's response type.
 * What Google's client would not send, or a field Google does not have, is answered as Google
 * does (400 INVALID_ARGUMENT, "Unknown name") and recorded in `violations`, so the test fails.
 *
 * What it does as Google documents it: A1 ranges (fake-a1.ts) on sheets with a grid size
 * (1000 × 26 for a new sheet), answers without trailing empty rows and cells, reads clipped to the
 * grid and refused below it ("exceeds grid limits"), writes refused beyond it, appends that find
 * the table in the range and write after it (INSERT_ROWS inserts rows, growing the grid),
 * USER_ENTERED parsing numbers and booleans, deleteDimension through spreadsheets:batchUpdate,
 * bearer tokens it issued (401 UNAUTHENTICATED otherwise), spreadsheets shared with a principal
 * (403 PERMISSION_DENIED otherwise), 404 NOT_FOUND, and the per-user-per-minute read and write
 * quotas (429 RESOURCE_EXHAUSTED, with Google's ErrorInfo).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatRange, parseA1, RangeParseError, sheetPrefix, columnName, type GridRange } from './fake-a1';
import { googleOAuth, type GoogleOAuth } from './fake-google-oauth';
import { sheetsMaterial, type FieldType, type SheetsMethod } from './sheets-material';

export type Cell = string | number | boolean;

export interface FakeSheet {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  /** Rows of cells; a missing row or cell is empty. */
  rows: Array<Array<Cell | undefined> | undefined>;
}

export interface FakeSpreadsheet {
  spreadsheetId: string;
  title: string;
  sheets: FakeSheet[];
  /** Principals (service account emails, users) it is shared with. */
  sharedWith: Set<string>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Google's method it matched (`spreadsheets.values.append`). */
  methodId: string | undefined;
}

export interface FakeSheetsAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeSheets {
  /** The fake's origin: the token endpoint is `${url}/token`, the API `${url}/v4`. */
  url: string;
  apiUrl: string;
  oauth: GoogleOAuth;
  violations: string[];
  requests: RecordedRequest[];
  spreadsheets: Map<string, FakeSpreadsheet>;
  /** A spreadsheet with these sheets (rows as given), shared with the fake's service account and OAuth user. */
  addSpreadsheet(spreadsheetId: string, title: string, sheets: Array<{ title: string; sheetId?: number; rows?: Cell[][]; rowCount?: number; columnCount?: number }>): FakeSpreadsheet;
  /** The sheet's cells as rows, trailing empties trimmed, for assertions. */
  values(spreadsheetId: string, sheet: string): Cell[][];
  /** Reads and writes a minute per user (Google's default is 60 each). */
  quota: { readsPerMinute: number; writesPerMinute: number };
  /** The next `count` API requests (token endpoint excluded) get this answer. */
  failNext(count: number, answer: FakeSheetsAnswer): void;
  close(): Promise<void>;
}

/** Google's error body: `{ error: { code, message, status, details? } }`. */
export function googleError(code: number, status: string, message: string, details?: unknown[]): FakeSheetsAnswer {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}

const READS = new Set(['spreadsheets.get', 'spreadsheets.values.get', 'spreadsheets.values.batchGet']);
const VALUE_INPUT = new Set(['RAW', 'USER_ENTERED']);
const NEW_SHEET = { rowCount: 1000, columnCount: 26 };

class GoogleError extends Error {
  constructor(readonly answer: FakeSheetsAnswer) {
    super(JSON.stringify(answer.body));
  }
}
const invalid = (message: string) => new GoogleError(googleError(400, 'INVALID_ARGUMENT', message));

/** A path template of Google's (`/v4/spreadsheets/{spreadsheetId}/values/{range}:append`) as a pattern over the raw (still encoded) path. */
function matcher(method: SheetsMethod): { method: SheetsMethod; pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = method.path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{\+?([^}]+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+?)';
    })
    .join('');
  return { method, pattern: new RegExp(`^${source}$`), names };
}

export async function startFakeSheets(): Promise<FakeSheets> {
  const material = sheetsMaterial();
  const matchers = material.methods.map(matcher).sort((a, b) => b.method.path.length - a.method.path.length);
  let origin = '';
  const violations: string[] = [];
  const requests: RecordedRequest[] = [];
  const spreadsheets = new Map<string, FakeSpreadsheet>();
  const failures: Array<{ count: number; answer: FakeSheetsAnswer }> = [];
  const quota = { readsPerMinute: 60, writesPerMinute: 60 };
  const used = new Map<string, number[]>();
  const oauth = googleOAuth(() => origin, violations);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        const url = new URL(req.url ?? '/', origin);
        if (oauth.handle(req, res, url, text)) return;
        api(req, res, url, text);
      } catch (err) {
        violations.push(`fake crashed: ${(err as Error).stack}`);
        send(res, googleError(500, 'INTERNAL', 'Internal error encountered.'));
      }
    });
  });

  function send(res: ServerResponse, answer: FakeSheetsAnswer, method?: SheetsMethod): void {
    if (method?.response && answer.status === 200) {
      for (const issue of material.validate(method.response, answer.body)) violations.push(`the fake's answer to ${method.id} breaks ${method.response}: ${issue}`);
    }
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', vary: 'Origin, X-Origin, Referer', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  function checkQuery(method: SheetsMethod, query: URLSearchParams): string[] {
    const issues: string[] = [];
    for (const name of new Set(query.keys())) {
      const type = method.query.get(name);
      if (!type) {
        issues.push(`Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`);
        continue;
      }
      const values = query.getAll(name);
      const scalar: FieldType = type.kind === 'array' ? type.of : type;
      if (type.kind !== 'array' && values.length > 1) issues.push(`query parameter ${name} given ${values.length} times`);
      for (const value of values) {
        if (scalar.kind === 'boolean' && value !== 'true' && value !== 'false') issues.push(`Invalid value at '${name}' (TYPE_BOOL), "${value}"`);
        if (scalar.kind === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) issues.push(`Invalid value at '${name}' (TYPE_INT32), "${value}"`);
      }
    }
    return issues;
  }

  function api(req: IncomingMessage, res: ServerResponse, url: URL, text: string): void {
    const httpMethod = (req.method ?? 'GET').toUpperCase();
    const rawPath = url.pathname;
    const found = matchers.map((m) => ({ m, match: m.pattern.exec(rawPath) })).filter((x) => x.match && x.m.method.httpMethod === httpMethod)[0];
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        requests.push({ method: httpMethod, url: req.url ?? '', path: rawPath, query: url.searchParams, headers: req.headers, body: text, methodId: found?.m.method.id });
        violations.push(`${httpMethod} ${rawPath}: body is not JSON`);
        return send(res, googleError(400, 'INVALID_ARGUMENT', `Invalid JSON payload received. Unexpected token.`));
      }
    }
    requests.push({ method: httpMethod, url: req.url ?? '', path: rawPath, query: url.searchParams, headers: req.headers, body, methodId: found?.m.method.id });
    if (!found) {
      violations.push(`${httpMethod} ${rawPath}: no method of Google's Sheets client has this path and HTTP method`);
      return send(res, googleError(404, 'NOT_FOUND', 'The requested URL was not found on this server.'));
    }
    const method = found.m.method;
    const params = Object.fromEntries(found.m.names.map((name, i) => [name, decodeURIComponent(found.match![i + 1]!)]));
    for (const required of method.requiredParams) if (!params[required]) violations.push(`${method.id}: required parameter ${required} missing`);
    const issues = checkQuery(method, url.searchParams);
    if (body !== undefined) {
      if (!method.requestBody) issues.push(`${method.id} takes no request body`);
      else issues.push(...material.validate(method.requestBody, body));
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) issues.push(`${method.id}: body sent as ${String(req.headers['content-type'])}`);
    }
    if (issues.length) {
      violations.push(...issues.map((issue) => `${method.id}: ${issue}`));
      return send(res, googleError(400, 'INVALID_ARGUMENT', issues[0]!, [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: issues.map((description) => ({ description })) }]));
    }

    const principal = authenticate(req);
    if (typeof principal !== 'string') return send(res, principal);
    const failure = failures[0];
    if (failure) {
      failure.count -= 1;
      if (failure.count <= 0) failures.shift();
      return send(res, failure.answer);
    }
    const limited = overQuota(principal, READS.has(method.id) ? 'read' : 'write');
    if (limited) return send(res, limited);
    const spreadsheet = spreadsheets.get(params.spreadsheetId ?? '');
    if (!spreadsheet) return send(res, googleError(404, 'NOT_FOUND', 'Requested entity was not found.'));
    if (!spreadsheet.sharedWith.has(principal)) return send(res, googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission'));
    try {
      send(res, { status: 200, body: serve(method, spreadsheet, params, url.searchParams, body as Record<string, unknown> | undefined) }, method);
    } catch (err) {
      if (err instanceof GoogleError) return send(res, err.answer);
      throw err;
    }
  }

  function authenticate(req: IncomingMessage): string | FakeSheetsAnswer {
    const header = String(req.headers.authorization ?? '');
    const unauthenticated = (message: string, reason: string) => ({
      ...googleError(401, 'UNAUTHENTICATED', message, [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' }]),
      headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
    });
    if (!header)
      return unauthenticated('Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'CREDENTIALS_MISSING');
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    const issued = token ? oauth.tokens.get(token) : undefined;
    if (!issued || issued.expiresAt < Date.now())
      return unauthenticated('Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'ACCESS_TOKEN_EXPIRED');
    if (!issued.scopes.includes('https://www.googleapis.com/auth/spreadsheets'))
      return googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com' },
      ]);
    return issued.principal;
  }

  function overQuota(principal: string, kind: 'read' | 'write'): FakeSheetsAnswer | undefined {
    const key = `${principal}\n${kind}`;
    const now = Date.now();
    const recent = (used.get(key) ?? []).filter((t) => t > now - 60_000);
    const limit = kind === 'read' ? quota.readsPerMinute : quota.writesPerMinute;
    if (recent.length >= limit) {
      const metric = kind === 'read' ? 'Read requests' : 'Write requests';
      return googleError(
        429,
        'RESOURCE_EXHAUSTED',
        `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:123456789012'.`,
        [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: { quota_limit: kind === 'read' ? 'ReadRequestsPerMinutePerUser' : 'WriteRequestsPerMinutePerUser', service: 'sheets.googleapis.com', quota_limit_value: String(limit) },
          },
        ],
      );
    }
    recent.push(now);
    used.set(key, recent);
    return undefined;
  }

  // --- the spreadsheet's contents ---

  function sheetOf(spreadsheet: FakeSpreadsheet, range: GridRange, text: string): FakeSheet {
    const sheet = range.sheet === undefined ? spreadsheet.sheets[0] : spreadsheet.sheets.find((s) => s.title === range.sheet);
    if (!sheet) throw invalid(`Unable to parse range: ${text}`);
    return sheet;
  }

  function parse(spreadsheet: FakeSpreadsheet, text: string): { sheet: FakeSheet; range: GridRange } {
    try {
      const range = parseA1(text);
      return { sheet: sheetOf(spreadsheet, range, text), range };
    } catch (err) {
      if (err instanceof RangeParseError) throw invalid(`Unable to parse range: ${text}`);
      throw err;
    }
  }

  /** The range on the sheet's grid: unbounded sides filled in; a start past the grid is refused. */
  function bounded(sheet: FakeSheet, range: GridRange, clip: boolean): { r0: number; r1: number; c0: number; c1: number } {
    const r0 = range.startRow ?? 0;
    const c0 = range.startColumn ?? 0;
    let r1 = range.endRow ?? sheet.rowCount;
    let c1 = range.endColumn ?? sheet.columnCount;
    const exceeds = () =>
      invalid(
        `Range (${sheetPrefix(sheet.title)}!${columnName(c0)}${r0 + 1}${range.endRow !== undefined || range.endColumn !== undefined ? `:${columnName(c1 - 1)}${r1}` : ''}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
      );
    if (r0 >= sheet.rowCount || c0 >= sheet.columnCount) throw exceeds();
    if (!clip && (r1 > sheet.rowCount || c1 > sheet.columnCount)) throw exceeds();
    r1 = Math.min(r1, sheet.rowCount);
    c1 = Math.min(c1, sheet.columnCount);
    return { r0, r1, c0, c1 };
  }

  const cellAt = (sheet: FakeSheet, r: number, c: number): Cell | undefined => sheet.rows[r]?.[c];
  const setCell = (sheet: FakeSheet, r: number, c: number, value: Cell | undefined) => {
    const row = (sheet.rows[r] ??= []);
    row[c] = value;
  };

  function render(value: Cell, option: string): Cell {
    if (option !== 'FORMATTED_VALUE') return value;
    return typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value);
  }

  /** USER_ENTERED: as if typed into the UI (numbers, booleans; a leading ' keeps text); RAW: as given. */
  function input(value: Cell, option: string): Cell | undefined {
    if (value === '') return undefined;
    if (option === 'RAW' || typeof value !== 'string') return value;
    if (value.startsWith("'")) return value.slice(1);
    if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
    if (/^(true|false)$/i.test(value.trim())) return value.trim().toUpperCase() === 'TRUE';
    return value;
  }

  function read(sheet: FakeSheet, box: { r0: number; r1: number; c0: number; c1: number }, option: string, major: string): Cell[][] {
    const rows: Cell[][] = [];
    for (let r = box.r0; r < box.r1; r++) {
      const row: Cell[] = [];
      for (let c = box.c0; c < box.c1; c++) row.push(cellAt(sheet, r, c) ?? '');
      while (row.length && row.at(-1) === '') row.pop();
      rows.push(row.map((v) => (v === '' ? v : render(v, option))));
    }
    while (rows.length && rows.at(-1)!.length === 0) rows.pop();
    if (major !== 'COLUMNS') return rows;
    const width = Math.max(0, ...rows.map((r) => r.length));
    return Array.from({ length: width }, (_, c) => {
      const column = rows.map((r) => r[c] ?? '');
      while (column.length && column.at(-1) === '') column.pop();
      return column;
    });
  }

  function write(sheet: FakeSheet, r0: number, c0: number, values: unknown[][], option: string): { rows: number; columns: number; cells: number } {
    let columns = 0;
    let cells = 0;
    values.forEach((row, i) => {
      columns = Math.max(columns, row.length);
      row.forEach((value, j) => {
        if (value === null) return; // "Null values will be skipped."
        setCell(sheet, r0 + i, c0 + j, input(value as Cell, option));
        cells += 1;
      });
    });
    return { rows: values.length, columns, cells };
  }

  function valueInputOption(query: URLSearchParams | Record<string, unknown>): string {
    const option = query instanceof URLSearchParams ? query.get('valueInputOption') : (query.valueInputOption as string | undefined);
    if (!option) throw invalid("'valueInputOption' is required but not specified");
    if (!VALUE_INPUT.has(option)) throw invalid(`Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "${option}"`);
    return option;
  }

  function checkRows(values: unknown): unknown[][] {
    if (!Array.isArray(values) || values.some((row) => !Array.isArray(row))) throw invalid('Invalid values: expected a list of lists');
    for (const row of values as unknown[][])
      for (const value of row)
        if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
          throw invalid(`Invalid values[${values.indexOf(row)}]: ${JSON.stringify(value)} is not a string, number or bool`);
    return values as unknown[][];
  }

  /** values.update and each range of values.batchUpdate: the values must fit the range, the range the grid. */
  function update(spreadsheet: FakeSpreadsheet, rangeText: string, valueRange: Record<string, unknown>, option: string): Record<string, unknown> {
    const { sheet, range } = parse(spreadsheet, rangeText);
    if (valueRange.range !== undefined) {
      const own = parse(spreadsheet, String(valueRange.range));
      if (JSON.stringify(own.range) !== JSON.stringify(range) || own.sheet !== sheet)
        throw invalid(`Requested writing within range [${rangeText}], but tried writing to the range in the body [${String(valueRange.range)}]`);
    }
    if ((valueRange.majorDimension ?? 'ROWS') !== 'ROWS') throw invalid('The fake writes majorDimension ROWS only');
    const values = checkRows(valueRange.values ?? []);
    const r0 = range.startRow ?? 0;
    const c0 = range.startColumn ?? 0;
    values.forEach((row, i) => {
      if (range.endRow !== undefined && r0 + i >= range.endRow) throw invalid(`Requested writing within range [${rangeText}], but tried writing to row [${r0 + i + 1}]`);
      if (range.endColumn !== undefined && c0 + row.length > range.endColumn)
        throw invalid(`Requested writing within range [${rangeText}], but tried writing to column [${columnName(range.endColumn)}]`);
    });
    const width = Math.max(1, ...values.map((row) => row.length));
    bounded(sheet, { ...range, endRow: r0 + Math.max(values.length, 1), endColumn: c0 + width }, false);
    const done = write(sheet, r0, c0, values, option);
    return {
      spreadsheetId: spreadsheet.spreadsheetId,
      updatedRange: formatRange(sheet.title, r0, r0 + Math.max(done.rows, 1), c0, c0 + Math.max(done.columns, 1)),
      updatedRows: done.rows,
      updatedColumns: done.columns,
      updatedCells: done.cells,
    };
  }

  const hasData = (sheet: FakeSheet, r: number, c0: number, c1: number) => {
    for (let c = c0; c < c1; c++) if (cellAt(sheet, r, c) !== undefined) return true;
    return false;
  };

  /**
   * values.append: the table is the first run of rows with data in the range's columns, from the
   * range's top; the rows go after its last row, from its first column (the range's top-left
   * when there is no table). INSERT_ROWS inserts as many rows there; OVERWRITE writes over what
   * is below, and both grow the grid when they run past it.
   */
  function append(spreadsheet: FakeSpreadsheet, rangeText: string, body: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
    const option = valueInputOption(query);
    const insert = query.get('insertDataOption') ?? 'OVERWRITE';
    if (insert !== 'INSERT_ROWS' && insert !== 'OVERWRITE') throw invalid(`Invalid value at 'insert_data_option', "${insert}"`);
    const { sheet, range } = parse(spreadsheet, rangeText);
    if (body.range !== undefined && parse(spreadsheet, String(body.range)).sheet !== sheet) throw invalid(`The range in the body [${String(body.range)}] is not on the sheet of [${rangeText}]`);
    const values = checkRows(body.values ?? []);
    const box = bounded(sheet, range, true);
    let first = -1;
    for (let r = box.r0; r < box.r1 && first < 0; r++) if (hasData(sheet, r, box.c0, box.c1)) first = r;
    let last = first;
    while (first >= 0 && last + 1 < box.r1 && hasData(sheet, last + 1, box.c0, box.c1)) last += 1;
    let tableRange: string | undefined;
    let at = { row: box.r0, column: box.c0 };
    if (first >= 0) {
      const columns: number[] = [];
      for (let r = first; r <= last; r++) for (let c = box.c0; c < box.c1; c++) if (cellAt(sheet, r, c) !== undefined) columns.push(c);
      const [c0, c1] = [Math.min(...columns), Math.max(...columns) + 1];
      tableRange = formatRange(sheet.title, first, last + 1, c0, c1);
      at = { row: last + 1, column: c0 };
    }
    if (insert === 'INSERT_ROWS') {
      sheet.rows.splice(at.row, 0, ...Array.from({ length: values.length }, () => undefined));
      sheet.rowCount += values.length;
    }
    sheet.rowCount = Math.max(sheet.rowCount, at.row + values.length);
    sheet.columnCount = Math.max(sheet.columnCount, at.column + Math.max(0, ...values.map((row) => row.length)));
    const done = write(sheet, at.row, at.column, values, option);
    return {
      spreadsheetId: spreadsheet.spreadsheetId,
      ...(tableRange ? { tableRange } : {}),
      updates: {
        spreadsheetId: spreadsheet.spreadsheetId,
        updatedRange: formatRange(sheet.title, at.row, at.row + Math.max(done.rows, 1), at.column, at.column + Math.max(done.columns, 1)),
        updatedRows: done.rows,
        updatedColumns: done.columns,
        updatedCells: done.cells,
      },
    };
  }

  function batchUpdate(spreadsheet: FakeSpreadsheet, body: Record<string, unknown>): Record<string, unknown> {
    const requests = (body.requests ?? []) as Array<Record<string, Record<string, unknown>>>;
    if (!requests.length) throw invalid('Must specify at least one request.');
    // All or nothing, as Google applies a batch: work on copies, keep them only when every request succeeded.
    const copies = spreadsheet.sheets.map((sheet) => ({ ...sheet, rows: [...sheet.rows] }));
    const replies = requests.map((request, i) => {
      const [kind, ...others] = Object.keys(request);
      if (kind !== 'deleteDimension' || others.length) {
        violations.push(`spreadsheets.batchUpdate: the fake serves deleteDimension only, not ${Object.keys(request).join(', ')}`);
        throw invalid(`Invalid requests[${i}]: the fake does not serve ${kind}`);
      }
      const range = request.deleteDimension!.range as { sheetId?: number; dimension?: string; startIndex?: number; endIndex?: number } | undefined;
      const sheet = copies.find((s) => s.sheetId === (range?.sheetId ?? 0));
      if (!range || !sheet) throw invalid(`Invalid requests[${i}].deleteDimension: No grid with id: ${range?.sheetId ?? 0}`);
      if (range.dimension !== 'ROWS') throw invalid(`Invalid requests[${i}].deleteDimension: the fake deletes ROWS only`);
      const start = range.startIndex ?? 0;
      const end = range.endIndex ?? sheet.rowCount;
      if (start < 0 || end <= start || end > sheet.rowCount) throw invalid(`Invalid requests[${i}].deleteDimension: Invalid dimension range [${start}, ${end}) for a sheet of ${sheet.rowCount} rows`);
      if (end - start >= sheet.rowCount) throw invalid(`Invalid requests[${i}].deleteDimension: You can't delete all the rows on the sheet.`);
      sheet.rows.splice(start, end - start);
      sheet.rowCount -= end - start;
      return {};
    });
    spreadsheet.sheets = copies;
    return { spreadsheetId: spreadsheet.spreadsheetId, replies };
  }

  function serve(method: SheetsMethod, spreadsheet: FakeSpreadsheet, params: Record<string, string>, query: URLSearchParams, body: Record<string, unknown> | undefined): unknown {
    const id = spreadsheet.spreadsheetId;
    switch (method.id) {
      case 'spreadsheets.get':
        if (query.get('includeGridData') === 'true' || query.has('ranges')) violations.push('spreadsheets.get: the fake serves no grid data');
        return {
          spreadsheetId: id,
          properties: { title: spreadsheet.title, locale: 'en_US', autoRecalc: 'ON_CHANGE', timeZone: 'Etc/GMT' },
          sheets: spreadsheet.sheets.map((sheet, index) => ({
            properties: { sheetId: sheet.sheetId, title: sheet.title, index, sheetType: 'GRID', gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount } },
          })),
          spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit`,
        };
      case 'spreadsheets.values.get': {
        const { sheet, range } = parse(spreadsheet, params.range!);
        const box = bounded(sheet, range, true);
        const major = query.get('majorDimension') ?? 'ROWS';
        const values = read(sheet, box, query.get('valueRenderOption') ?? 'FORMATTED_VALUE', major);
        return { range: formatRange(sheet.title, box.r0, box.r1, box.c0, box.c1), majorDimension: major, ...(values.length ? { values } : {}) };
      }
      case 'spreadsheets.values.update': {
        const option = valueInputOption(query);
        return update(spreadsheet, params.range!, body ?? {}, option);
      }
      case 'spreadsheets.values.batchUpdate': {
        const option = valueInputOption(body ?? {});
        const data = (body?.data ?? []) as Array<Record<string, unknown>>;
        const before = spreadsheet.sheets.map((sheet) => ({ ...sheet, rows: sheet.rows.map((row) => (row ? [...row] : row)) }));
        try {
          const responses = data.map((entry) => {
            if (typeof entry.range !== 'string') throw invalid('Each ValueRange of data needs its range');
            return update(spreadsheet, entry.range, entry, option);
          });
          const touched = new Set(responses.map((r) => String(r.updatedRange).replace(/!.*$/, '')));
          return {
            spreadsheetId: id,
            totalUpdatedRows: responses.reduce((n, r) => n + Number(r.updatedRows), 0),
            totalUpdatedColumns: Math.max(0, ...responses.map((r) => Number(r.updatedColumns))),
            totalUpdatedCells: responses.reduce((n, r) => n + Number(r.updatedCells), 0),
            totalUpdatedSheets: touched.size,
            responses,
          };
        } catch (err) {
          spreadsheet.sheets = before;
          throw err;
        }
      }
      case 'spreadsheets.values.append':
        return append(spreadsheet, params.range!, body ?? {}, query);
      case 'spreadsheets.values.clear': {
        const { sheet, range } = parse(spreadsheet, params.range!);
        const box = bounded(sheet, range, true);
        for (let r = box.r0; r < box.r1; r++) for (let c = box.c0; c < box.c1; c++) if (cellAt(sheet, r, c) !== undefined) setCell(sheet, r, c, undefined);
        return { spreadsheetId: id, clearedRange: formatRange(sheet.title, box.r0, box.r1, box.c0, box.c1) };
      }
      case 'spreadsheets.batchUpdate':
        return batchUpdate(spreadsheet, body ?? {});
      default:
        violations.push(`${method.id}: Google has it, the fake does not serve it`);
        throw new GoogleError(googleError(501, 'UNIMPLEMENTED', `${method.id} is not served by the fake`));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    apiUrl: `${origin}/v4`,
    oauth,
    violations,
    requests,
    spreadsheets,
    quota,
    addSpreadsheet(spreadsheetId, title, sheets) {
      const spreadsheet: FakeSpreadsheet = {
        spreadsheetId,
        title,
        sheets: sheets.map((sheet, i) => ({
          sheetId: sheet.sheetId ?? (i === 0 ? 0 : 1000 + i),
          title: sheet.title,
          rowCount: sheet.rowCount ?? Math.max(NEW_SHEET.rowCount, sheet.rows?.length ?? 0),
          columnCount: sheet.columnCount ?? NEW_SHEET.columnCount,
          rows: (sheet.rows ?? []).map((row) => [...row]),
        })),
        sharedWith: new Set([oauth.serviceAccount.email, oauth.oauthClient.user]),
      };
      spreadsheets.set(spreadsheetId, spreadsheet);
      return spreadsheet;
    },
    values(spreadsheetId, title) {
      const sheet = spreadsheets.get(spreadsheetId)?.sheets.find((s) => s.title === title);
      if (!sheet) throw new Error(`no sheet ${title} in ${spreadsheetId}`);
      return read(sheet, { r0: 0, r1: sheet.rowCount, c0: 0, c1: sheet.columnCount }, 'UNFORMATTED_VALUE', 'ROWS');
    },
    failNext(count, answer) {
      failures.push({ count, answer });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
