/**
 * An operation's parameters: path-level ones overridden by operation-level ones of the same name
 * and location, with their serialisation (`style`, `explode`) when the document declares one.
 * A parameter that cannot be read is left out with a warning; one whose `$ref` does not resolve
 * makes the operation impossible to build (it throws, and the caller skips the operation).
 */
import { derefObject } from './refs';
import { isObject, type Json } from './schema-walk';
import type { ImportedParameter, ImportIssue, ParameterLocation, ParameterStyle } from './spec';

/** The styles OpenAPI allows per location; the first is the default. https://spec.openapis.org/oas/v3.1.0#style-values */
/** The styles OpenAPI allows per location; the first is the default. */
export const STYLES: Record<ParameterLocation, readonly ParameterStyle[]> = {
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  path: ['simple', 'label', 'matrix'],
  header: ['simple'],
};

const LOCATIONS = new Set<string>(['path', 'query', 'header']);

/** The JSON media type of a `content` map (or `*∕*`), with its schema. */
export function jsonContent(content: unknown): { contentType: string; schema: unknown } | undefined {
  if (!isObject(content)) return undefined;
  const entries = Object.entries(content);
  const json = entries.find(([type]) => /^application\/(.+\+)?json\b/i.test(type)) ?? entries.find(([type]) => type === '*/*');
  if (!json) return undefined;
  const media = isObject(json[1]) ? json[1] : {};
  return { contentType: json[0] === '*/*' ? 'application/json' : json[0], schema: media.schema ?? {} };
}

function parameterOf(parameter: Json, where: string, warnings: ImportIssue[]): ImportedParameter | undefined {
  const { name } = parameter;
  const location = parameter.in;
  if (typeof name !== 'string' || name === '') {
    warnings.push({ location: where, message: 'parameter without a name: left out' });
    return undefined;
  }
  if (typeof location !== 'string' || !LOCATIONS.has(location)) {
    warnings.push({ location: where, message: `parameter "${name}" in ${String(location)}: not a parameter location (path, query, header); left out` });
    return undefined;
  }
  const at = location as ParameterLocation;
  const imported: ImportedParameter = { name, in: at, required: at === 'path' || parameter.required === true, schema: parameter.schema ?? {} };
  if (parameter.schema === undefined && parameter.content !== undefined) {
    // `content` instead of `schema`: the value is sent as that media type, JSON in practice.
    const json = jsonContent(parameter.content);
    if (!json) warnings.push({ location: `${where}.content`, message: `parameter "${name}": only JSON content is supported; the value is sent as JSON text` });
    imported.schema = json?.schema ?? {};
    imported.contentType = json?.contentType ?? 'application/json';
  }
  if (parameter.style !== undefined) {
    if (typeof parameter.style === 'string' && STYLES[at].includes(parameter.style as ParameterStyle)) imported.style = parameter.style as ParameterStyle;
    else warnings.push({ location: `${where}.style`, message: `style ${JSON.stringify(parameter.style)} is not one for ${at} parameters (${STYLES[at].join(', ')}); ${STYLES[at][0]} is used` });
  }
  if (typeof parameter.explode === 'boolean') imported.explode = parameter.explode;
  return imported;
}

export function extractParameters(doc: Json, path: string, lists: Array<[unknown, string]>, unsupported: ImportIssue[], warnings: ImportIssue[]): ImportedParameter[] {
  const byKey = new Map<string, ImportedParameter>();
  for (const [list, where] of lists) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      warnings.push({ location: where, message: 'parameters: must be an array; ignored' });
      continue;
    }
    list.forEach((raw, i) => {
      let parameter: Json;
      try {
        parameter = derefObject(doc, raw);
      } catch (err) {
        throw new Error(`${where}.${i}: ${(err as Error).message}`);
      }
      const at = `${where}.${typeof parameter.name === 'string' ? parameter.name : i}`;
      if (parameter.in === 'cookie') {
        unsupported.push({ location: at, message: 'cookie parameters are not supported' });
        return;
      }
      const imported = parameterOf(parameter, at, warnings);
      // Operation-level parameters (listed last) override path-level ones of the same name and location.
      if (imported) byKey.set(`${imported.in}:${imported.name}`, imported);
    });
  }
  // A path template variable nobody declared still has to be filled in: a required string.
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    if (byKey.has(`path:${name!}`)) continue;
    warnings.push({ location: lists.at(-1)![1], message: `path parameter "${name!}" of ${path} is not declared; imported as a required string` });
    byKey.set(`path:${name!}`, { name: name!, in: 'path', required: true, schema: { type: 'string' } });
  }
  return [...byKey.values()];
}
