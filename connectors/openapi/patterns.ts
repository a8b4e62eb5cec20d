/**
 * `pattern` and `patternProperties` from imported schemas run on RE2 (re2js, a pure-JS port): its
 * matching time is linear in the input, so a catastrophic pattern such as `^(a+)+$` cannot freeze
 * the worker or the API on a crafted value. V8's own engine backtracks: 30 characters of
 * `aaaa…!` take minutes there.
 *
 * RE2 has no backreferences and no lookaround. A pattern it cannot compile is not enforced (its
 * test always passes) rather than run on the backtracking engine; the import names each such
 * pattern in `warnings`, so the remote's own validation is what checks those fields.
 */
import type { RegExpEngine } from 'ajv/dist/types';
import { RE2JS } from 're2js';
import { documentSchemas, isObject, locationOf, walkSchema, type Json } from './schema-walk';
import type { ImportIssue } from './spec';

/** Compiles an ECMAScript pattern (JSON Schema's dialect) for RE2; throws what RE2 objects to. */
export function compileLinear(pattern: string): RE2JS {
  // translateRegExp rewrites the ECMAScript-only spellings RE2 lacks: \uXXXX, (?<name>…), \cX.
  return RE2JS.compile(RE2JS.translateRegExp(pattern));
}

/** Why RE2 cannot run `pattern`, or undefined when it can. */
export function unsupportedPatternReason(pattern: string): string | undefined {
  try {
    compileLinear(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** What Ajv calls `.test()` on. `toString()` is Ajv's cache key for compiled patterns, so it must name the pattern. */
class LinearPattern {
  constructor(
    private readonly re: RE2JS,
    private readonly source: string,
  ) {}
  test(value: string): boolean {
    return this.re.test(value);
  }
  toString(): string {
    return `re2:${this.source}`;
  }
}

class UnenforcedPattern {
  constructor(private readonly source: string) {}
  test(): boolean {
    return true;
  }
  toString(): string {
    return `unenforced:${this.source}`;
  }
}

/** Ajv's `code.regExp` option. `code` names it in standalone code, which this engine does not generate. */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string): LinearPattern | UnenforcedPattern => {
    try {
      return new LinearPattern(compileLinear(pattern), pattern);
    } catch {
      return new UnenforcedPattern(pattern);
    }
  },
  { code: 'linearRegExp' },
);

/** Every pattern of the document RE2 cannot run, with where it is. */
export function unsupportedPatterns(doc: Json): ImportIssue[] {
  const issues: ImportIssue[] = [];
  const seen = new Set<Json>();
  for (const [path, root] of documentSchemas(doc)) {
    walkSchema(root, path, (node, at) => {
      // The same object can sit at two places after a conversion; report it once.
      if (seen.has(node)) return;
      seen.add(node);
      const candidates: Array<[string, string[]]> = [];
      if (typeof node.pattern === 'string') candidates.push([node.pattern, [...at, 'pattern']]);
      if (isObject(node.patternProperties)) for (const key of Object.keys(node.patternProperties)) candidates.push([key, [...at, 'patternProperties', key]]);
      for (const [pattern, where] of candidates) {
        const reason = unsupportedPatternReason(pattern);
        if (reason) issues.push({ location: locationOf(where), message: `pattern "${pattern}" is not enforced: the linear-time engine (RE2) cannot run it (${reason})` });
      }
    });
  }
  return issues;
}
