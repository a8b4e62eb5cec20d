/**
 * The fake's own A1 parser (written apart from the connectors' a1.ts, so neither checks itself):
 * `Sheet1!A1:D5`, `'It''s here'!A:A`, `Sheet1` (the whole sheet), `A1:B2` (the first visible
 * sheet), `Sheet1!2:7`, `A5:D` (open-ended), as https://developers.google.com/workspace/sheets/api/guides/concepts#cell
 * describes them. Ranges become Google's GridRange: zero-based, half open, undefined = unbounded.
 */

export interface GridRange {
  /** The sheet title, or undefined for the first visible sheet. */
  sheet: string | undefined;
  startRow: number | undefined;
  endRow: number | undefined;
  startColumn: number | undefined;
  endColumn: number | undefined;
}

export class RangeParseError extends Error {}

/** `A` → 0, `Z` → 25, `AA` → 26. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** 0 → `A`, 26 → `AA`. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

const CELL = /^([A-Za-z]{0,3})(\d*)$/;

interface Ref {
  column: number | undefined;
  row: number | undefined;
}

function ref(text: string): Ref {
  const match = CELL.exec(text);
  if (!match || (match[1] === '' && match[2] === '')) throw new RangeParseError(text);
  return { column: match[1] ? columnIndex(match[1]) : undefined, row: match[2] ? Number(match[2]) - 1 : undefined };
}

function cells(text: string): Omit<GridRange, 'sheet'> {
  const [from, to, ...rest] = text.split(':');
  if (rest.length || from === undefined) throw new RangeParseError(text);
  const a = ref(from);
  if (to === undefined) {
    // One cell (`B2`); a lone column or row is not a range.
    if (a.column === undefined || a.row === undefined) throw new RangeParseError(text);
    return { startRow: a.row, endRow: a.row + 1, startColumn: a.column, endColumn: a.column + 1 };
  }
  const b = ref(to);
  // `A:B`, `2:5`, `A2:B` (open below), `A:B5` (from the top), `A1:B2`.
  const range = {
    startRow: a.row ?? (b.row !== undefined && a.column !== undefined ? 0 : undefined),
    endRow: b.row === undefined ? undefined : b.row + 1,
    startColumn: a.column ?? (b.column !== undefined ? 0 : undefined),
    endColumn: b.column === undefined ? undefined : b.column + 1,
  };
  if ((range.startRow ?? 0) > (range.endRow ?? Infinity) - 1 || (range.startColumn ?? 0) > (range.endColumn ?? Infinity) - 1) throw new RangeParseError(text);
  return range;
}

/** A quoted title (`'My ''best'' sheet'`) and what follows it. */
function quoted(text: string): { title: string; rest: string } {
  let title = '';
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== "'") title += text[i];
    else if (text[i + 1] === "'") {
      title += "'";
      i++;
    } else return { title, rest: text.slice(i + 1) };
  }
  throw new RangeParseError(text);
}

export function parseA1(text: string): GridRange {
  if (text.startsWith("'")) {
    const { title, rest } = quoted(text);
    if (rest === '') return { sheet: title, startRow: undefined, endRow: undefined, startColumn: undefined, endColumn: undefined };
    if (!rest.startsWith('!')) throw new RangeParseError(text);
    return { sheet: title, ...cells(rest.slice(1)) };
  }
  const bang = text.lastIndexOf('!');
  if (bang >= 0) return { sheet: text.slice(0, bang), ...cells(text.slice(bang + 1)) };
  // No sheet: cells of the first visible sheet when it reads as cells, else a sheet's title.
  try {
    return { sheet: undefined, ...cells(text) };
  } catch {
    return { sheet: text, startRow: undefined, endRow: undefined, startColumn: undefined, endColumn: undefined };
  }
}

/** A title as Google writes it in answers: bare when it is a plain word that does not read as a cell, else quoted. */
export function sheetPrefix(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
}

/** `Sheet1!A1:D5`, `Sheet1!B2` for one cell. */
export function formatRange(title: string, startRow: number, endRow: number, startColumn: number, endColumn: number): string {
  const from = `${columnName(startColumn)}${startRow + 1}`;
  const to = `${columnName(endColumn - 1)}${endRow}`;
  return `${sheetPrefix(title)}!${from === to ? from : `${from}:${to}`}`;
}
