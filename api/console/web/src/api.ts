/**
 * The console's one way to the API: same origin, the session's key in `Authorization`, JSON in
 * and out. A failed call becomes an ApiError carrying the API's message and its `issues`, so a
 * form can put each one on the field it names.
 */
import { readKey } from './session-key';

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: FieldIssue[] = [],
    /** The whole answer, e.g. a failed action's `type` and `workflowId`. */
    readonly body: unknown = undefined,
  ) {
    super(message);
  }
}

/** Called when the API says the key is not (or no longer) good: the session ends. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, key = readKey()): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'The API cannot be reached. Is it running?');
  }
  const text = await response.text();
  const payload: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const { message, issues } = errorOf(payload, response.statusText);
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, message, issues, payload);
  }
  return payload as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorOf(payload: unknown, fallback: string): { message: string; issues: FieldIssue[] } {
  if (!payload || typeof payload !== 'object') return { message: typeof payload === 'string' && payload ? payload : fallback, issues: [] };
  const { message, issues } = payload as { message?: unknown; issues?: unknown };
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : fallback;
  return { message: text, issues: Array.isArray(issues) ? issues.filter(isIssue) : [] };
}

function isIssue(value: unknown): value is FieldIssue {
  return !!value && typeof value === 'object' && typeof (value as FieldIssue).field === 'string' && typeof (value as FieldIssue).message === 'string';
}

/** A path segment, encoded: run ids hold "/". */
export const seg = (value: string): string => encodeURIComponent(value);
