/**
 * What an OpenAPI import keeps: everything needed to build the application and one connector per
 * operation at run time, as plain JSON (stored per version, never changed afterwards).
 */
export type ParameterLocation = 'path' | 'query' | 'header';

export interface ImportedParameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  schema: unknown;
}

export interface ImportedAction {
  /** camelCase, from operationId or from method and path. */
  name: string;
  operationId?: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  path: string;
  summary?: string;
  parameters: ImportedParameter[];
  body?: { required: boolean; contentType: string; schema: unknown };
  /** Schema of the success response body, when the document gives a JSON one. */
  output?: unknown;
}

export type ImportedAuth =
  | { kind: 'none' }
  | { kind: 'api-key'; in: 'header' | 'query'; name: string }
  | { kind: 'basic' }
  | { kind: 'bearer' }
  | { kind: 'oauth2-authorization-code'; authorizationUrl: string; tokenUrl: string; scopes: string[] }
  | { kind: 'oauth2-client-credentials'; tokenUrl: string; scopes: string[] };

export interface ImportIssue {
  /** JSON pointer-like location in the document, e.g. `paths./pets.post.callbacks`. */
  location: string;
  message: string;
}

export interface ImportedSpec {
  slug: string;
  version: number;
  title: string;
  dialect: '3.0' | '3.1';
  servers: string[];
  auth: ImportedAuth;
  /** The document's `components`, so `#/components/...` references in schemas resolve at run time. */
  components: unknown;
  actions: ImportedAction[];
  /** Parts of the document this import does not support (they were skipped). */
  unsupported: ImportIssue[];
}

export function applicationName(slug: string, version: number): string {
  return `${slug}@v${version}`;
}

export function parseApplicationName(name: string): { slug: string; version: number } | undefined {
  const match = /^([a-z][a-z0-9-]*)@v(\d+)$/.exec(name);
  return match ? { slug: match[1]!, version: Number(match[2]) } : undefined;
}
