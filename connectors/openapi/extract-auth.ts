/**
 * The document's security schemes as the application's auth: the first scheme we support,
 * looking at the document-wide security requirement first, then at the schemes operations use,
 * then at every declared scheme. Schemes without an equivalent are listed in `unsupported`.
 */
import { derefObject } from './refs';
import { isObject, type Json } from './schema-walk';
import type { ImportedAuth, ImportIssue } from './spec';

type Requirement = Record<string, unknown>;

/** One scheme as our auth kind, or undefined when we have no equivalent (e.g. OAuth implicit, OpenID Connect, cookies). */
function authOf(scheme: Json, scopes: string[]): ImportedAuth | undefined {
  switch (scheme.type) {
    case 'apiKey':
      return (scheme.in === 'header' || scheme.in === 'query') && typeof scheme.name === 'string' ? { kind: 'api-key', in: scheme.in, name: scheme.name } : undefined;
    case 'http':
      if (String(scheme.scheme).toLowerCase() === 'basic') return { kind: 'basic' };
      return String(scheme.scheme).toLowerCase() === 'bearer' ? { kind: 'bearer' } : undefined;
    case 'oauth2': {
      const flows = isObject(scheme.flows) ? scheme.flows : {};
      const code = flows.authorizationCode;
      if (isObject(code) && typeof code.authorizationUrl === 'string' && typeof code.tokenUrl === 'string')
        return { kind: 'oauth2-authorization-code', authorizationUrl: code.authorizationUrl, tokenUrl: code.tokenUrl, scopes };
      const client = flows.clientCredentials;
      if (isObject(client) && typeof client.tokenUrl === 'string') return { kind: 'oauth2-client-credentials', tokenUrl: client.tokenUrl, scopes };
      return undefined;
    }
  }
  return undefined;
}

const requirementsOf = (value: unknown): Requirement[] => (Array.isArray(value) ? value.filter(isObject) : []);

export function mapAuth(doc: Json, unsupported: ImportIssue[], warnings: ImportIssue[]): ImportedAuth {
  const components = isObject(doc.components) ? doc.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const operations = Object.values(isObject(doc.paths) ? doc.paths : {}).flatMap((item) => (isObject(item) ? Object.values(item).filter(isObject) : []));
  const requirements = [...requirementsOf(doc.security), ...operations.flatMap((op) => requirementsOf(op.security)), ...Object.keys(schemes).map((name): Requirement => ({ [name]: [] }))];
  const rejected = new Set<string>();
  const undeclared = new Set<string>();
  const resolved = new Map<string, Json | undefined>();
  const scheme = (name: string): Json | undefined => {
    if (!resolved.has(name)) {
      try {
        resolved.set(name, schemes[name] === undefined ? undefined : derefObject(doc, schemes[name]));
      } catch (err) {
        warnings.push({ location: `components.securitySchemes.${name}`, message: (err as Error).message });
        resolved.set(name, undefined);
      }
    }
    return resolved.get(name);
  };
  let chosen: ImportedAuth | undefined;
  for (const requirement of requirements) {
    for (const [name, scopes] of Object.entries(requirement)) {
      const found = scheme(name);
      const auth = found && authOf(found, Array.isArray(scopes) ? scopes.map(String) : []);
      if (auth) chosen ??= auth;
      else if (found) rejected.add(name);
      else if (schemes[name] === undefined) undeclared.add(name);
    }
  }
  for (const name of undeclared) warnings.push({ location: 'security', message: `security requirement names "${name}", which components.securitySchemes does not declare` });
  for (const name of rejected) {
    const found = scheme(name)!;
    unsupported.push({
      location: `components.securitySchemes.${name}`,
      message: `security scheme ${String(found.type)}${found.in ? ` in ${String(found.in)}` : ''} is not supported${chosen ? `; channels use ${chosen.kind}` : ''}`,
    });
  }
  return chosen ?? { kind: 'none' };
}
