/**
 * `returnTo`: where the browser goes once a consent started from the console succeeded. It ends in
 * a `Location` header of a public route, so it is held to what cannot leave this origin or the
 * console: a relative path under `/console/`, in plain ASCII, with an optional query and no
 * fragment. Refused, whatever a browser or a proxy would make of it:
 *   - absolute and scheme-relative URLs (`https://evil.example`, `//evil.example`, `javascript:…`),
 *     and backslashes anywhere (browsers read `/\evil.example` as `//evil.example`);
 *   - control characters, spaces and non-ASCII (browsers drop tabs and newlines inside URLs, so
 *     `/\t/evil.example` is `//evil.example` to them), percent-encoded or not;
 *   - dot segments and empty segments (`/console/../admin`, `/console/./x`, `/console/..;/x`, `/console//x`),
 *     percent-encoded too (`%2e%2e`, `%2f`, `%5c`, overlong `%c0%ae`), which a decoding proxy
 *     could turn into them;
 *   - anything the URL parser would rewrite: what is stored is exactly what it resolves to.
 */
import { z } from 'zod';

export const RETURN_TO_PREFIX = '/console/';
const MAX_LENGTH = 512;
/** RFC 3986 pchar (without `%`, checked as escapes below) plus `/`; `?` only begins the query. */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const QUERY_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*$/;
/** Escapes of what must not hide in the path: `.`, `/`, `\`, overlong UTF-8 (`%c0%ae`); nor, anywhere, control characters and DEL. */
const HIDDEN_IN_PATH = /%(?:2e|2f|5c|c0|c1)/i;
const HIDDEN_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
const ESCAPE = /%[0-9A-Fa-f]{2}/g;
const BROKEN_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const ORIGIN = 'https://console.invalid';

/** Why `value` is not a safe `returnTo`, or undefined when it is one. */
export function returnToProblem(value: string): string | undefined {
  if (value.length > MAX_LENGTH) return `must be at most ${MAX_LENGTH} characters`;
  if (!/^[\x21-\x7e]*$/.test(value)) return 'must be printable ASCII without spaces or control characters (percent-encode anything else)';
  if (value.includes('\\')) return 'must not contain a backslash';
  if (!value.startsWith(RETURN_TO_PREFIX)) return `must be a path of this origin under ${RETURN_TO_PREFIX} (e.g. /console/channels), not a URL`;
  if (value.includes('#')) return 'must not carry a fragment';
  const queryAt = value.indexOf('?');
  const path = queryAt === -1 ? value : value.slice(0, queryAt);
  const query = queryAt === -1 ? '' : value.slice(queryAt + 1);
  if (BROKEN_ESCAPE.test(value)) return 'has a malformed percent-escape';
  if (!PATH_CHARS.test(path.replace(ESCAPE, '')) || !QUERY_CHARS.test(query.replace(ESCAPE, ''))) return 'has a character a URL path or query cannot hold unescaped';
  if (HIDDEN_CONTROL.test(value) || HIDDEN_IN_PATH.test(path)) return 'must not contain an encoded control character, nor an encoded ".", "/" or "\\" in its path';
  const segments = path.slice(RETURN_TO_PREFIX.length).split('/');
  // The last segment may be empty (`/console/`, `/console/channels/`), no other.
  // Nor dot segments, with path parameters too (`..;/`, which some servers read as `../`).
  if (segments.slice(0, -1).some((segment) => segment === '') || segments.some((segment) => /^\.+(;|$)/.test(segment))) return 'must not contain empty, "." or ".." segments';
  // What a browser resolves it to is what was given: nothing for a parser to normalise away.
  const resolved = new URL(value, ORIGIN);
  if (resolved.origin !== ORIGIN || resolved.pathname !== path || !resolved.pathname.startsWith(RETURN_TO_PREFIX)) return `must be a path of this origin under ${RETURN_TO_PREFIX}`;
  return undefined;
}

/** The body field, as the connect route parses it: a 400 names `returnTo` and says why. */
export const ReturnTo = z
  .string()
  .superRefine((value, ctx) => {
    const problem = returnToProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    example: '/console/channels/ch_k3Jx9qLm2Pz',
    description: `A path of the console (${RETURN_TO_PREFIX}…) the browser is sent to once the consent succeeded, with ?connected=<channel id> added`,
  });

/** `returnTo` with `connected=<channelId>` added to its query, instead of any `connected` it had; the rest as given. */
export function returnToConnected(returnTo: string, channelId: string): string {
  const queryAt = returnTo.indexOf('?');
  const path = queryAt === -1 ? returnTo : returnTo.slice(0, queryAt);
  const kept =
    queryAt === -1
      ? []
      : returnTo
          .slice(queryAt + 1)
          .split('&')
          .filter((pair) => pair !== '' && pair.split('=')[0] !== 'connected');
  return `${path}?${[...kept, `connected=${encodeURIComponent(channelId)}`].join('&')}`;
}
