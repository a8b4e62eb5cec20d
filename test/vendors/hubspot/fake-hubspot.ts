/**
 * A loopback HubSpot for the tests: the CRM v3 endpoints of contacts, deals and notes the HubSpot
 * connectors use, in HubSpot's documented shapes (https://developers.hubspot.com/docs/api-reference/crm):
 *
 * - records `{ id, properties, createdAt, updatedAt, archived }`, every property value a string;
 *   lists paged by `after` (`paging.next.after` and `link`), searches `{ total, results, paging }`
 *   with HubSpot's filter operators, one sort, at most 200 a page and never past result 10,000;
 * - errors `{ status: 'error', message, correlationId, category, … }`; 429s
 *   `{ status: 'error', errorType: 'RATE_LIMIT', policyName, … }` after 100 requests in a rolling
 *   10 s per account (`TEN_SECONDLY_ROLLING`), and after 5 searches in a second (`SECONDLY`), with
 *   `X-HubSpot-RateLimit-Max/-Remaining/-Interval-Milliseconds` on every answer;
 * - what HubSpot itself refuses: an unknown property (PROPERTY_DOESNT_EXIST), a deal stage of
 *   another pipeline, a note without `hs_timestamp`, an association to a record that does not
 *   exist or of the wrong type, a second contact with one e-mail (409 CONFLICT).
 *
 * OAuth as HubSpot's public apps use it (https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/guide):
 * consent at `GET /oauth/authorize` (granted at once, back to `redirect_uri` with a code), tokens
 * from `POST /oauth/v1/token` (form body with the client's id and secret; `authorization_code` or
 * `refresh_token`), answered `{ token_type: 'bearer', access_token, refresh_token, expires_in }`
 * or refused as HubSpot refuses (`{ status: 'BAD_AUTH_CODE', message }`). A PKCE challenge, when
 * the authorization request carries one, must be met at the exchange.
 *
 * Every request is checked against @hubspot/api-client's generated operations and models
 * (sdk-operations.ts): an operation the SDK does not know, a query parameter it does not take, a
 * body field its model lacks, a missing required field or a wrong type is recorded in
 * `violations` and answered as HubSpot answers invalid input (400 VALIDATION_ERROR), so a test
 * fails on it. The fake's own answers are checked against the SDK's response models too.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkQuery, checkValue, findOperation, loadOperations, type Operation } from './sdk-operations';

export type ObjectType = 'contacts' | 'deals' | 'notes';

export interface HubSpotRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  /** Association type id → ids of the records it points to (notes: 214 → deals). */
  associations: Map<number, Set<string>>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  operation?: string;
}

export interface InjectedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface HubSpotOAuthApp {
  clientId: string;
  clientSecret: string;
}

export interface FakeHubSpot {
  url: string;
  /** The public app whose OAuth flow the fake serves; the scopes its last consent asked for; refresh grants so far. */
  oauth: { app: HubSpotOAuthApp; lastScopes: string[]; refreshes: number; lastTokenRequest?: URLSearchParams; refreshTokens: Set<string> };
  /** A token HubSpot no longer accepts (revoked, or expired early): requests with it answer 401. */
  revoke(token: string): void;
  /** The private app's access token the fake accepts (more with `tokens.add`). */
  token: string;
  tokens: Set<string>;
  portalId: number;
  requests: RecordedRequest[];
  /** Requests HubSpot's SDK models say are malformed, and answers of the fake that break them. */
  violations: string[];
  records: Record<ObjectType, Map<string, HubSpotRecord>>;
  /** Property names each object type knows beyond HubSpot's defaults (a portal's custom properties). */
  customProperties: Record<ObjectType, Set<string>>;
  /** Adds a record as HubSpot would have it; `ageMs` back-dates its creation and last change. */
  seed(type: ObjectType, properties: Record<string, string>, options?: { ageMs?: number; archived?: boolean }): HubSpotRecord;
  /** Changes a record as a HubSpot user would (its last-modified date moves on). */
  touch(type: ObjectType, id: string, properties: Record<string, string>): HubSpotRecord;
  /** Notes associated with a deal, oldest first. */
  notesOf(dealId: string): HubSpotRecord[];
  /** The next `count` requests to `method path` get this answer instead. */
  failNext(method: string, path: string, answer: InjectedAnswer, count?: number): void;
  close(): Promise<void>;
}

/** HubSpot's pipelines of deals: the default one's stages (https://knowledge.hubspot.com/object-settings/set-up-and-customize-pipelines). */
const PIPELINES: Record<string, readonly string[]> = {
  default: ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'],
};

/** Properties every portal has, per object type (a subset of HubSpot's defaults), and the ones a record is answered with unless others are asked for. */
const KNOWN: Record<ObjectType, { known: string[]; answered: string[]; modified: string; created: string }> = {
  contacts: {
    known: ['email', 'firstname', 'lastname', 'phone', 'company', 'website', 'lifecyclestage', 'jobtitle', 'city', 'country', 'hubspot_owner_id', 'createdate', 'lastmodifieddate', 'hs_object_id'],
    answered: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    modified: 'lastmodifieddate',
    created: 'createdate',
  },
  deals: {
    known: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'hubspot_owner_id', 'description', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    answered: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    modified: 'hs_lastmodifieddate',
    created: 'createdate',
  },
  notes: {
    known: ['hs_note_body', 'hs_timestamp', 'hubspot_owner_id', 'hs_attachment_ids', 'hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    answered: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    modified: 'hs_lastmodifieddate',
    created: 'hs_createdate',
  },
};

/** HubSpot-defined association types from a note (https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide). */
const NOTE_ASSOCIATIONS: Record<number, ObjectType> = { 202: 'contacts', 214: 'deals' };

const GROUPS: Record<ObjectType, string> = { contacts: 'crm/contacts', deals: 'crm/deals', notes: 'crm/objects/notes' };

export function hubspotError(status: number, category: string, message: string, extra: Record<string, unknown> = {}): InjectedAnswer {
  return { status, body: { status: 'error', message, correlationId: randomUUID(), category, ...extra } };
}

/** What HubSpot answers over its ten-second limit (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines). */
export function rateLimitAnswer(policyName: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY', headers: Record<string, string> = {}): InjectedAnswer {
  const name = policyName.toLowerCase();
  return {
    status: 429,
    body: { status: 'error', message: `You have reached your ${name} limit.`, errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName, requestId: randomUUID() },
    headers,
  };
}

export async function startFakeHubSpot(options: { token?: string; rateLimit?: { max: number; intervalMs: number }; searchPerSecond?: number } = {}): Promise<FakeHubSpot> {
  const token = options.token ?? `pat-na1-${randomUUID()}`;
  const tokens = new Set([token]);
  const limit = options.rateLimit ?? { max: 100, intervalMs: 10_000 };
  const searchPerSecond = options.searchPerSecond ?? 5;
  const operations: Operation[] = Object.values(GROUPS).flatMap((group) => loadOperations(group));
  const records: FakeHubSpot['records'] = { contacts: new Map(), deals: new Map(), notes: new Map() };
  const customProperties: FakeHubSpot['customProperties'] = { contacts: new Set(), deals: new Set(), notes: new Set() };
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const injected: Array<{ key: string; answer: InjectedAnswer; left: number }> = [];
  // Per token (one token is one account here): when its recent requests came.
  const recent = new Map<string, number[]>();
  const recentSearches = new Map<string, number[]>();
  let nextId = 1001;
  let url = '';
  const refreshTokens = new Set<string>();
  const oauth: FakeHubSpot['oauth'] = { app: { clientId: randomUUID(), clientSecret: randomUUID() }, lastScopes: [], refreshes: 0, refreshTokens };
  const codes = new Map<string, { redirectUri: string; challenge?: string }>();

  /** HubSpot's authorize page and token endpoint; true when the request was one of theirs. */
  function oauthRoute(method: string, parsed: URL, raw: string, contentType: string, res: ServerResponse): boolean {
    const refuse = (status: string, message: string) => send(res, { status: 400, body: { status, message, correlationId: randomUUID(), requestId: randomUUID() } });
    if (method === 'GET' && parsed.pathname === '/oauth/authorize') {
      const q = parsed.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      if (q.get('client_id') !== oauth.app.clientId || !URL.canParse(redirectUri)) {
        violations.push(`authorize: unknown client or redirect_uri (${parsed.search})`);
        send(res, { status: 400, body: 'Authorization failed because this app is not known' });
        return true;
      }
      oauth.lastScopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
      if (!oauth.lastScopes.includes('oauth')) violations.push(`authorize: HubSpot requires the oauth scope, got "${q.get('scope')}"`);
      const code = randomUUID();
      const challenge = q.get('code_challenge') ?? undefined;
      if (challenge && q.get('code_challenge_method') !== 'S256') violations.push(`authorize: code_challenge_method ${q.get('code_challenge_method')}`);
      codes.set(code, { redirectUri, challenge });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      if (q.has('state')) back.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { location: back.toString() }).end();
      return true;
    }
    if (method === 'POST' && parsed.pathname === '/oauth/v1/token') {
      if (contentType !== 'application/x-www-form-urlencoded') {
        violations.push(`token: content-type ${contentType}`);
        refuse('BAD_REQUEST', 'the token request must be form-encoded');
        return true;
      }
      const form = new URLSearchParams(raw);
      oauth.lastTokenRequest = form;
      if (form.get('client_id') !== oauth.app.clientId) return (refuse('BAD_CLIENT_ID', 'missing or invalid client id'), true);
      if (form.get('client_secret') !== oauth.app.clientSecret) return (refuse('BAD_CLIENT_SECRET', 'missing or invalid client secret'), true);
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') {
        const pending = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!pending) return (refuse('BAD_AUTH_CODE', 'missing or unknown auth code'), true);
        if (form.get('redirect_uri') !== pending.redirectUri) return (refuse('BAD_REDIRECT_URI', 'redirect_uri does not match the one the code was issued for'), true);
        const verifier = form.get('code_verifier');
        if (pending.challenge && (!verifier || createHash('sha256').update(verifier).digest('base64url') !== pending.challenge))
          return (refuse('BAD_AUTH_CODE', 'the code verifier does not match'), true);
      } else if (grant === 'refresh_token') {
        if (!refreshTokens.has(form.get('refresh_token') ?? '')) return (refuse('BAD_REFRESH_TOKEN', 'missing or unknown refresh token'), true);
        oauth.refreshes += 1;
      } else {
        return (refuse('BAD_GRANT_TYPE', `unsupported grant_type ${grant}`), true);
      }
      const accessToken = `CO${randomBytes(24).toString('base64url')}`;
      const refreshToken = grant === 'refresh_token' ? form.get('refresh_token')! : randomUUID();
      tokens.add(accessToken);
      refreshTokens.add(refreshToken);
      send(res, { status: 200, body: { token_type: 'bearer', refresh_token: refreshToken, access_token: accessToken, expires_in: 1800 } });
      return true;
    }
    return false;
  }

  const stamp = (at: number) => new Date(at).toISOString();

  function create(type: ObjectType, properties: Record<string, string>, at = Date.now()): HubSpotRecord {
    const id = String(nextId++);
    const meta = KNOWN[type];
    const record: HubSpotRecord = {
      id,
      properties: { ...properties, hs_object_id: id, [meta.created]: stamp(at), [meta.modified]: stamp(at), ...(type === 'deals' ? { pipeline: properties.pipeline ?? 'default' } : {}) },
      createdAt: stamp(at),
      updatedAt: stamp(at),
      archived: false,
      associations: new Map(),
    };
    records[type].set(id, record);
    return record;
  }

  function write(type: ObjectType, record: HubSpotRecord, properties: Record<string, string>, at = Date.now()): HubSpotRecord {
    // Monotonic: two writes in one millisecond still order.
    const when = Math.max(at, Date.parse(record.updatedAt) + 1);
    Object.assign(record.properties, properties, { [KNOWN[type].modified]: stamp(when) });
    record.updatedAt = stamp(when);
    return record;
  }

  /** A record as HubSpot answers it: the properties asked for (or the defaults), null when unset. */
  function view(type: ObjectType, record: HubSpotRecord, wanted: string[] | undefined) {
    const names = wanted?.length ? wanted : KNOWN[type].answered;
    const properties = Object.fromEntries(names.map((name) => [name, record.properties[name] ?? null]));
    return { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: record.archived, ...(record.archivedAt ? { archivedAt: record.archivedAt } : {}) };
  }

  const known = (type: ObjectType, name: string) => KNOWN[type].known.includes(name) || customProperties[type].has(name);

  /** HubSpot's answer to values it cannot take: unknown properties, a stage outside the pipeline. */
  function refuseProperties(type: ObjectType, properties: Record<string, unknown>, record?: HubSpotRecord): InjectedAnswer | undefined {
    const invalid: Array<{ isValid: false; message: string; error: string; name: string }> = [];
    for (const name of Object.keys(properties)) {
      if (!known(type, name)) invalid.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
      else if (name === 'hs_object_id' || name === KNOWN[type].modified || name === KNOWN[type].created)
        invalid.push({ isValid: false, message: `"${name}" is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name });
    }
    if (type === 'deals' && properties.dealstage !== undefined) {
      const pipeline = String(properties.pipeline ?? record?.properties.pipeline ?? 'default');
      const stages = PIPELINES[pipeline];
      if (!stages) invalid.push({ isValid: false, message: `${pipeline} is not a valid pipeline`, error: 'INVALID_OPTION', name: 'pipeline' });
      else if (!stages.includes(String(properties.dealstage)))
        invalid.push({ isValid: false, message: `${String(properties.dealstage)} was not one of the allowed options: [${stages.join(', ')}]`, error: 'INVALID_OPTION', name: 'dealstage' });
    }
    if (!invalid.length) return undefined;
    return hubspotError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(invalid)}`, {
      errors: invalid.map((i) => ({ message: i.message, code: i.error, context: { propertyName: [i.name] } })),
    });
  }

  const notFound = (id: string) => hubspotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [id] } });
  const wanted = (query: URLSearchParams) =>
    query
      .getAll('properties')
      .flatMap((p) => p.split(','))
      .filter(Boolean);

  function matches(type: ObjectType, record: HubSpotRecord, filter: { propertyName: string; operator: string; value?: string; values?: string[]; highValue?: string }): boolean {
    const actual = filter.propertyName === 'hs_object_id' ? record.id : record.properties[filter.propertyName];
    // Dates compare as instants; HubSpot takes epoch milliseconds or ISO 8601 for them.
    const date = filter.propertyName === KNOWN[type].modified || filter.propertyName === KNOWN[type].created || filter.propertyName.endsWith('date');
    const num = (v: string | null | undefined) => (v == null ? NaN : date ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : Number(v));
    const cmp = (v: string | undefined) => (Number.isNaN(num(actual)) || Number.isNaN(num(v)) ? String(actual ?? '').localeCompare(String(v ?? '')) : num(actual) - num(v));
    const present = actual !== null && actual !== undefined && actual !== '';
    switch (filter.operator) {
      case 'EQ':
        return present && (date ? cmp(filter.value) === 0 : String(actual).toLowerCase() === String(filter.value).toLowerCase());
      case 'NEQ':
        return !present || String(actual).toLowerCase() !== String(filter.value).toLowerCase();
      case 'LT':
        return present && cmp(filter.value) < 0;
      case 'LTE':
        return present && cmp(filter.value) <= 0;
      case 'GT':
        return present && cmp(filter.value) > 0;
      case 'GTE':
        return present && cmp(filter.value) >= 0;
      case 'BETWEEN':
        return present && cmp(filter.value) >= 0 && cmp(filter.highValue) <= 0;
      case 'IN':
        return present && (filter.values ?? []).map((v) => v.toLowerCase()).includes(String(actual).toLowerCase());
      case 'NOT_IN':
        return !present || !(filter.values ?? []).map((v) => v.toLowerCase()).includes(String(actual).toLowerCase());
      case 'HAS_PROPERTY':
        return present;
      case 'NOT_HAS_PROPERTY':
        return !present;
      case 'CONTAINS_TOKEN':
        return present && String(actual).toLowerCase().includes(String(filter.value).replace(/\*/g, '').toLowerCase());
      case 'NOT_CONTAINS_TOKEN':
        return !present || !String(actual).toLowerCase().includes(String(filter.value).replace(/\*/g, '').toLowerCase());
    }
    return false;
  }

  type SearchBody = {
    filterGroups?: Array<{ filters: Array<{ propertyName: string; operator: string; value?: string; values?: string[]; highValue?: string }> }>;
    sorts?: Array<string | { propertyName: string; direction?: string }>;
    properties?: string[];
    query?: string;
    limit?: number;
    after?: string;
  };

  function search(type: ObjectType, body: SearchBody): InjectedAnswer {
    const groups = body.filterGroups ?? [];
    // https://developers.hubspot.com/docs/api-reference/search/guide#limitations
    if (groups.length > 5 || groups.some((g) => g.filters.length > 6) || groups.reduce((n, g) => n + g.filters.length, 0) > 18)
      return hubspotError(400, 'VALIDATION_ERROR', 'There was a problem with the request: up to 5 filterGroups of up to 6 filters each, 18 filters in all.');
    if ((body.sorts?.length ?? 0) > 1) return hubspotError(400, 'VALIDATION_ERROR', 'There was a problem with the request: a search sorts by one property.');
    const limit = body.limit ?? 10;
    if (limit > 200) return hubspotError(400, 'VALIDATION_ERROR', 'There was a problem with the request: limit must be at most 200.');
    const offset = body.after === undefined ? 0 : Number(body.after);
    if (!Number.isSafeInteger(offset) || offset < 0) return hubspotError(400, 'VALIDATION_ERROR', `There was a problem with the request: ${body.after} is not a valid after.`);
    if (offset + limit > 10_000) return hubspotError(400, 'VALIDATION_ERROR', 'There was a problem with the request: a search returns at most 10,000 results; narrow it instead of paging further.');
    for (const filter of groups.flatMap((g) => g.filters)) {
      if (!known(type, filter.propertyName)) return hubspotError(400, 'VALIDATION_ERROR', `There was a problem with the request: property ${filter.propertyName} does not exist.`);
    }
    let found = [...records[type].values()].filter((r) => !r.archived && (groups.length === 0 || groups.some((g) => g.filters.every((f) => matches(type, r, f)))));
    if (body.query) found = found.filter((r) => Object.values(r.properties).some((v) => v?.toLowerCase().includes(body.query!.toLowerCase())));
    const sort = body.sorts?.[0];
    const by = typeof sort === 'string' ? sort : sort?.propertyName;
    const descending = typeof sort === 'object' && sort.direction === 'DESCENDING';
    const key = (r: HubSpotRecord) => (by ? (r.properties[by] ?? '') : r.id.padStart(20, '0'));
    found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : Number(a.id) - Number(b.id)) * (descending ? -1 : 1));
    const page = found.slice(offset, offset + limit);
    const more = offset + limit < found.length;
    return {
      status: 200,
      body: { total: found.length, results: page.map((r) => view(type, r, body.properties)), ...(more ? { paging: { next: { after: String(offset + limit) } } } : {}) },
    };
  }

  function list(type: ObjectType, query: URLSearchParams): InjectedAnswer {
    const limit = query.has('limit') ? Number(query.get('limit')) : 10;
    if (limit < 1 || limit > 100) return hubspotError(400, 'VALIDATION_ERROR', `limit must be between 1 and 100, was ${limit}`);
    const archived = query.get('archived') === 'true';
    // `after` is the id the next page starts at, as HubSpot's list cursors are.
    const after = query.get('after');
    const all = [...records[type].values()].filter((r) => r.archived === archived).sort((a, b) => Number(a.id) - Number(b.id));
    const start = after ? all.findIndex((r) => Number(r.id) >= Number(after)) : 0;
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const next = start < 0 ? undefined : all[start + limit];
    const nextQuery = new URLSearchParams(query);
    if (next) nextQuery.set('after', next.id);
    const link = next ? `${url}/crm/v3/objects/${type}?${nextQuery.toString()}` : undefined;
    return { status: 200, body: { results: page.map((r) => view(type, r, wanted(query))), ...(next ? { paging: { next: { after: next.id, link } } } : {}) } };
  }

  function findRecord(type: ObjectType, idOrValue: string, query: URLSearchParams): HubSpotRecord | undefined {
    const idProperty = query.get('idProperty');
    const archived = query.get('archived') === 'true';
    const record = idProperty ? [...records[type].values()].find((r) => r.properties[idProperty]?.toLowerCase() === idOrValue.toLowerCase()) : records[type].get(idOrValue);
    return record && record.archived === archived ? record : undefined;
  }

  type WriteBody = { properties: Record<string, string>; associations?: Array<{ to: { id: string }; types: Array<{ associationCategory: string; associationTypeId: number }> }> };

  function handle(type: ObjectType, operation: Operation, params: string[], query: URLSearchParams, body: unknown): InjectedAnswer {
    switch (operation.name) {
      case 'SearchApi.doSearch':
        return search(type, body as SearchBody);
      case 'BasicApi.getPage':
        return list(type, query);
      case 'BasicApi.getById': {
        const record = findRecord(type, params[0]!, query);
        return record ? { status: 200, body: view(type, record, wanted(query)) } : notFound(params[0]!);
      }
      case 'BasicApi.create': {
        const { properties, associations = [] } = body as WriteBody;
        const refused = refuseProperties(type, properties);
        if (refused) return refused;
        if (type === 'contacts' && properties.email) {
          const existing = [...records.contacts.values()].find((c) => c.properties.email?.toLowerCase() === properties.email!.toLowerCase());
          if (existing) return hubspotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
        }
        if (type === 'notes' && !properties.hs_timestamp)
          return hubspotError(400, 'VALIDATION_ERROR', 'Property values were not valid: [{"isValid":false,"message":"hs_timestamp is required","error":"REQUIRED_FIELD","name":"hs_timestamp"}]');
        for (const association of associations) {
          for (const spec of association.types) {
            const target = type === 'notes' && spec.associationCategory === 'HUBSPOT_DEFINED' ? NOTE_ASSOCIATIONS[spec.associationTypeId] : undefined;
            if (!target) return hubspotError(400, 'VALIDATION_ERROR', `${spec.associationCategory} association type ${spec.associationTypeId} is not valid from ${type}`);
            if (!records[target].get(association.to.id) || records[target].get(association.to.id)!.archived)
              return hubspotError(400, 'VALIDATION_ERROR', `One or more associations are invalid: ${target} ${association.to.id} does not exist`, {
                subCategory: 'crm.associations.INVALID_ASSOCIATION',
              });
          }
        }
        const record = create(type, properties);
        for (const association of associations)
          for (const spec of association.types) record.associations.set(spec.associationTypeId, new Set([...(record.associations.get(spec.associationTypeId) ?? []), association.to.id]));
        return { status: 201, body: view(type, record, Object.keys(record.properties)) };
      }
      case 'BasicApi.update': {
        const record = findRecord(type, params[0]!, query);
        if (!record) return notFound(params[0]!);
        const { properties } = body as WriteBody;
        const refused = refuseProperties(type, properties, record);
        if (refused) return refused;
        write(type, record, properties);
        return { status: 200, body: view(type, record, Object.keys(record.properties)) };
      }
    }
    return hubspotError(404, 'OBJECT_NOT_FOUND', `the fake does not serve ${operation.name}`);
  }

  /** Counts a request against its account's windows; a 429 when one is used up. */
  function throttle(key: string, isSearch: boolean): { answer?: InjectedAnswer; headers: Record<string, string> } {
    const now = Date.now();
    const times = (recent.get(key) ?? []).filter((t) => t > now - limit.intervalMs);
    const headers = (remaining: number) => ({
      'x-hubspot-ratelimit-max': String(limit.max),
      'x-hubspot-ratelimit-remaining': String(Math.max(remaining, 0)),
      'x-hubspot-ratelimit-interval-milliseconds': String(limit.intervalMs),
      'x-hubspot-ratelimit-daily': '250000',
      'x-hubspot-ratelimit-daily-remaining': '249000',
    });
    if (times.length >= limit.max) {
      recent.set(key, times);
      const answer = rateLimitAnswer('TEN_SECONDLY_ROLLING');
      return { answer: { ...answer, headers: headers(0) }, headers: headers(0) };
    }
    if (isSearch) {
      const searches = (recentSearches.get(key) ?? []).filter((t) => t > now - 1_000);
      if (searches.length >= searchPerSecond) {
        recentSearches.set(key, searches);
        return { answer: { ...rateLimitAnswer('SECONDLY'), headers: headers(limit.max - times.length) }, headers: headers(limit.max - times.length) };
      }
      recentSearches.set(key, [...searches, now]);
    }
    recent.set(key, [...times, now]);
    return { headers: headers(limit.max - times.length - 1) };
  }

  const send = (res: ServerResponse, answer: InjectedAnswer, headers: Record<string, string> = {}) => {
    res.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8', ...headers, ...answer.headers });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  };

  function checkAnswer(operation: Operation, answer: InjectedAnswer): void {
    const out: string[] = [];
    if (answer.status >= 200 && answer.status < 300) {
      if (operation.success && answer.status !== operation.success.status) out.push(`answered ${answer.status}, the SDK expects ${operation.success.status}`);
      if (operation.success?.model) checkValue(operation.models, operation.success.model, answer.body, 'answer', out);
    } else if (answer.status !== 429) {
      // HubSpot's error bodies carry `status: 'error'` beside the SDK's Error model; a 429's is its own shape.
      checkValue(operation.models, 'ModelError', omit(answer.body, ['status']), 'error', out);
    }
    violations.push(...out.map((v) => `the fake's answer to ${operation.name}: ${v}`));
  }

  const server: Server = createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const parsedUrl = new URL(incoming.url ?? '/', 'http://fake');
      const method = incoming.method ?? 'GET';
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const req: RecordedRequest = { method, path: parsedUrl.pathname, query: parsedUrl.searchParams, headers: incoming.headers, body };
      requests.push(req);
      const refuse = (answer: InjectedAnswer, reason: string) => (violations.push(`${method} ${parsedUrl.pathname}: ${reason}`), send(res, answer));
      if (oauthRoute(method, parsedUrl, raw, (incoming.headers['content-type'] ?? '').split(';')[0]!.trim(), res)) return;

      const auth = /^Bearer (\S+)$/.exec(incoming.headers.authorization ?? '');
      if (!auth || !tokens.has(auth[1]!)) {
        return send(
          res,
          hubspotError(
            401,
            'INVALID_AUTHENTICATION',
            'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
          ),
        );
      }
      const found = findOperation(operations, method, parsedUrl.pathname);
      if (!found) return refuse(hubspotError(404, 'OBJECT_NOT_FOUND', `Unable to route ${method} request: ${parsedUrl.pathname}`), 'no operation of @hubspot/api-client is at this method and path');
      const { operation, params } = found;
      req.operation = `${operation.group} ${operation.name}`;
      const type = Object.entries(GROUPS).find(([, group]) => group === operation.group)![0] as ObjectType;

      const problems: string[] = [];
      checkQuery(operation, parsedUrl.searchParams, problems);
      if (operation.body) {
        const contentType = (incoming.headers['content-type'] ?? '').split(';')[0]!.trim();
        if (contentType !== 'application/json') problems.push(`content-type ${contentType || 'missing'}, the SDK sends application/json`);
        if (typeof body !== 'object' || body === null) problems.push('the body is not JSON');
        else checkValue(operation.models, operation.body, body, 'body', problems, SORTS_AS_DOCUMENTED);
      } else if (raw) {
        problems.push(`${operation.name} takes no body`);
      }
      if (problems.length) {
        return refuse(hubspotError(400, 'VALIDATION_ERROR', `Invalid input JSON: ${problems.join('; ')}`), problems.join('; '));
      }

      const trap = injected.find((entry) => entry.key === `${method} ${parsedUrl.pathname}` && entry.left > 0);
      const limited = throttle(auth[1]!, operation.name === 'SearchApi.doSearch');
      if (trap) {
        trap.left -= 1;
        return send(res, trap.answer, limited.headers);
      }
      const answer = limited.answer ?? handle(type, operation, params, parsedUrl.searchParams, body);
      checkAnswer(operation, answer);
      send(res, answer, limited.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    oauth,
    revoke: (revoked) => void tokens.delete(revoked),
    token,
    tokens,
    portalId: 62515,
    requests,
    violations,
    records,
    customProperties,
    seed: (type, properties, seedOptions = {}) => {
      const record = create(type, properties, Date.now() - (seedOptions.ageMs ?? 0));
      if (seedOptions.archived) Object.assign(record, { archived: true, archivedAt: record.updatedAt });
      return record;
    },
    touch: (type, id, properties) => write(type, records[type].get(id)!, properties),
    notesOf: (dealId) => [...records.notes.values()].filter((n) => n.associations.get(214)?.has(dealId)),
    failNext: (method, path, answer, count = 1) => void injected.push({ key: `${method} ${path}`, answer, left: count }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * `sorts` as HubSpot documents it (https://developers.hubspot.com/docs/api-reference/search/guide#sort-search-results):
 * `{ propertyName, direction }` objects; the SDK's model types the items as strings
 * (HubSpot/hubspot-api-nodejs#559, #9), which HubSpot also takes.
 */
const SORTS_AS_DOCUMENTED = {
  'PublicObjectSearchRequest.sorts': (value: unknown, at: string, out: string[]) => {
    if (!Array.isArray(value)) return void out.push(`${at}: expected an array`);
    value.forEach((sort: unknown, i) => {
      if (typeof sort === 'string') return;
      const { propertyName, direction, ...rest } = (sort ?? {}) as Record<string, unknown>;
      if (typeof propertyName !== 'string') out.push(`${at}[${i}].propertyName: required, a string`);
      if (direction !== undefined && direction !== 'ASCENDING' && direction !== 'DESCENDING') out.push(`${at}[${i}].direction: ${JSON.stringify(direction)} is not ASCENDING or DESCENDING`);
      for (const key of Object.keys(rest)) out.push(`${at}[${i}].${key}: a sort has no such field`);
    });
  },
};

function omit(value: unknown, keys: string[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}
