/**
 * Validation with swagger-parser (the OpenAPI 3.0/3.1 JSON Schemas, then its own spec checks).
 * Strict: a fault refuses the document, as before. Lenient (the default): faults are returned as
 * warnings and the import goes on; real documents often have one deep inside a response schema.
 *
 * swagger-parser validates the dereferenced document, so a fault inside a shared component is
 * reported once per place that uses it, at the user's path (GitHub's document: one injected fault
 * gave 1,211 errors). Each is mapped back to where it is written (`components.schemas.issue…`),
 * and repeats are merged.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { ImportError } from './errors';
import { jsonPointerSegments, pointerSegments, resolvePointer } from './refs';
import { isObject, locationOf } from './schema-walk';
import type { ImportIssue } from './spec';

interface ParserDetail {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: { allowedValues?: unknown[] };
}

const MAX_ISSUES = 100;

/** Messages that only say "none of the alternatives matched"; kept only when nothing more precise is said at that place. */
const GENERIC = [/^must have required property '\$ref'$/, /^must match exactly one schema in oneOf$/, /^must match a schema in anyOf$/];

/** Where `pointer` into the dereferenced document is written in `doc`: references are followed back to their targets. */
export function sourceLocation(doc: unknown, pointer: string): string[] {
  let node = doc;
  let at: string[] = [];
  // `next`: the segment about to be taken. A keyword written next to `$ref` stays where it is written.
  const follow = (next?: string) => {
    const seen = new Set<string>();
    while (isObject(node) && typeof node.$ref === 'string' && !seen.has(node.$ref) && (next === undefined || !Object.prototype.hasOwnProperty.call(node, next))) {
      seen.add(node.$ref);
      const target = resolvePointer(doc, node.$ref);
      if (target === undefined) return;
      at = pointerSegments(node.$ref);
      node = target;
    }
  };
  for (const segment of jsonPointerSegments(pointer)) {
    follow(segment);
    node = Array.isArray(node) ? node[Number(segment)] : isObject(node) ? node[segment] : undefined;
    at = [...at, segment];
  }
  follow();
  return at;
}

function messageOf(detail: ParserDetail): string {
  const message = detail.message ?? 'invalid';
  return detail.keyword === 'enum' && Array.isArray(detail.params?.allowedValues) ? `${message} (${detail.params.allowedValues.join(', ')})` : message;
}

/** swagger-parser's errors as issues at the places they are written, most precise first, merged and capped. */
export function issuesFromParser(doc: unknown, err: unknown): ImportIssue[] {
  const details = (err as { details?: ParserDetail[] }).details;
  if (!Array.isArray(details) || details.length === 0) return [{ location: '(document)', message: (err as Error).message.split('\n')[0]! }];
  // An error at a place where a deeper error exists only says the deeper one failed an alternative.
  const ancestors = new Set<string>();
  for (const detail of details) {
    const segments = (detail.instancePath ?? '').split('/');
    for (let i = 1; i < segments.length; i++) ancestors.add(segments.slice(0, i).join('/'));
  }
  const byLocation = new Map<string, Set<string>>();
  for (const detail of details) {
    const pointer = detail.instancePath ?? '';
    if (ancestors.has(pointer)) continue;
    const location = locationOf(sourceLocation(doc, pointer));
    const messages = byLocation.get(location) ?? new Set<string>();
    messages.add(messageOf(detail));
    byLocation.set(location, messages);
  }
  const issues: ImportIssue[] = [];
  for (const [location, messages] of byLocation) {
    const precise = [...messages].filter((message) => !GENERIC.some((generic) => generic.test(message)));
    for (const message of precise.length > 0 ? precise : [...messages]) issues.push({ location, message });
  }
  return capIssues(issues);
}

export function capIssues(issues: ImportIssue[], max = MAX_ISSUES): ImportIssue[] {
  return issues.length <= max ? issues : [...issues.slice(0, max), { location: '(document)', message: `${issues.length - max} more not listed` }];
}

const parserOptions = (validate: { schema: boolean; spec: boolean }): SwaggerParser.Options => ({ resolve: { external: false }, dereference: { circular: 'ignore' }, validate });

/** Validates `doc` (not changed: the parser works on a copy). Strict: throws on a fault. Lenient: returns the faults. */
export async function validateDocument(doc: object, strict: boolean): Promise<ImportIssue[]> {
  try {
    await SwaggerParser.validate(structuredClone(doc) as never, parserOptions({ schema: true, spec: true }));
    return [];
  } catch (err) {
    const issues = issuesFromParser(doc, err);
    if (strict) {
      // The parser's message lists every error (1,211 lines for one fault in GitHub's document): its first line, and the issues.
      const first = (err as Error).message.split('\n')[0]!.replace(/\.$/, '');
      throw new ImportError(
        `invalid OpenAPI document: ${first}${issues.length > 1 ? ` (${issues.length} faults)` : ''}: ${issues
          .slice(0, 3)
          .map((i) => `${i.location}: ${i.message}`)
          .join('; ')}`,
        issues.slice(0, 20),
      );
    }
    // A schema fault stops the parser before its own checks (path parameters, duplicate operationIds): run those too.
    if ((err as { details?: unknown }).details) {
      try {
        await SwaggerParser.validate(structuredClone(doc) as never, parserOptions({ schema: false, spec: true }));
      } catch (specErr) {
        issues.push({ location: '(document)', message: (specErr as Error).message.split('\n')[0]! });
      }
    }
    return issues;
  }
}
