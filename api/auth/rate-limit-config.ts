/** `<requests>/<window>` as the rate-limit variables take it, e.g. `600/60s`, `1000/10s`, `100/1m`. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

const FORMAT = /^(\d+)\s*\/\s*(\d+)\s*(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

export function parseRateLimit(variable: string, value: string | undefined): RateLimit | undefined {
  if (value === undefined || value === '') return undefined;
  const match = FORMAT.exec(value.trim());
  if (!match) throw new Error(`${variable} must look like "600/60s" (requests per window; window in ms, s, m or h), not "${value}"`);
  const limit = Number(match[1]);
  const windowMs = Number(match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  if (limit < 1 || windowMs < 1) throw new Error(`${variable}: requests and window must be positive`);
  return { limit, windowMs };
}
