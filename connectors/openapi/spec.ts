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
  /**
   * How arrays and objects are serialised (OpenAPI `style`/`explode`). Optional so specs stored
   * before they were kept still load; absent means OpenAPI's default for the location (query:
   * form, explode; path and header: simple, no explode).
   */
  style?: ParameterStyle;
  explode?: boolean;
  /** Declared with `content` instead of `schema`: the value is sent as JSON text. */
  contentType?: string;
}

export type ParameterStyle = 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject' | 'simple' | 'label' | 'matrix';

/**
 * A multipart field that carries a file: `binary` (schema `format: binary`) is sent as the decoded
 * bytes, `byte` (`format: byte`) as the base64 text the remote declared it reads.
 */
export type FileFieldFormat = 'binary' | 'byte';

export interface ImportedBody {
  required: boolean;
  /** The media type chosen from the operation's `content` (JSON first, then form, then multipart). */
  contentType: string;
  /** The input schema of `body`; for multipart, file fields accept what FILE_INPUT_SCHEMA describes. */
  schema: unknown;
  /** Multipart only: the fields that carry files (an array of files when `many`). */
  files?: Record<string, { format: FileFieldFormat; many: boolean; contentType?: string }>;
}

export interface ImportedAction {
  /** camelCase, from operationId or from method and path. */
  name: string;
  operationId?: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  path: string;
  summary?: string;
  parameters: ImportedParameter[];
  body?: ImportedBody;
  /** Schema of the success response body, when the document gives a JSON one. */
  output?: unknown;
  /** How the action pages: from the document's hints or the application file (pagination.ts). Absent: one page. */
  pagination?: ImportedPagination;
}

/** A place in an action's output, as the keys leading to it (`['meta', 'next_cursor']`); `[]` is the output itself. */
export type OutputPath = string[];

/**
 * How an imported action pages, as plain data (stored with the version). Each style is one of the
 * framework's (connectors/framework/pagination.ts): the next page is new input, or a URL on the
 * same origin. `param`s are query parameters of the action.
 */
export type ImportedPagination =
  /** RFC 8288 `Link: <…>; rel="next"`. */
  | { style: 'link-header' }
  /** `?<param>=<token>` with the token at `next` in the last page, until there is none. */
  | { style: 'cursor'; param: string; next: OutputPath }
  /** The next page's URL at `next` in the last page (`links.next`, `@odata.nextLink`). */
  | { style: 'next-url'; next: OutputPath }
  /**
   * `?<param>=1,2,3…` while `hasMore` is true, or else while the array at `results` is not empty
   * (and, when the input gives `limitParam`, full).
   */
  | { style: 'page-number'; param: string; hasMore?: OutputPath; results?: OutputPath; limitParam?: string; first?: number }
  /** `?<param>=0,n,2n…` by the length of the array at `results`, while it is not empty (and, when the input gives `limitParam`, full). */
  | { style: 'offset'; param: string; results: OutputPath; limitParam?: string };

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
  /** Faults found in the document (validation, patterns RE2 cannot run) that did not stop the import. Absent in specs stored before. */
  warnings?: ImportIssue[];
  /**
   * What the application file beside a committed document says (application-file.ts): base URL,
   * pinned hosts, rate limit, webhook signature. Stored with the version, as the document is.
   */
  application?: ImportedApplicationSettings;
}

/** The parts of an application file that are not the document's: see application-file.ts. */
export interface ImportedApplicationSettings {
  /** Where the application file was: `applications/inventory/application.yaml`, or absent for a committed document without one. */
  source?: string;
  /** The default base URL instead of the document's first server. */
  baseUrl?: string;
  allowedHosts?: string[];
  rateLimit?: { requestsPerSecond: number; scope?: 'channel' | 'application' };
  /** The header writes carry their idempotency key in (ApplicationDefinition.idempotencyKeyHeader). */
  idempotencyKeyHeader?: string;
  webhooks?: { signature: WebhookSignatureSetting };
}

/** The framework's webhook signature schemes (applications/framework/webhook-signature.ts), as data. */
export type WebhookSignatureSetting =
  | { scheme: 'hmac-sha256'; header: string; encoding: 'hex' | 'base64'; prefix?: string }
  | { scheme: 'github' }
  | { scheme: 'shopify' }
  | { scheme: 'stripe'; toleranceSeconds?: number }
  | { scheme: 'slack'; toleranceSeconds?: number }
  | { scheme: 'standard-webhooks'; toleranceSeconds?: number }
  | { scheme: 'shared-secret'; header: string };

export function applicationName(slug: string, version: number): string {
  return `${slug}@v${version}`;
}

export function parseApplicationName(name: string): { slug: string; version: number } | undefined {
  const match = /^([a-z][a-z0-9-]*)@v(\d+)$/.exec(name);
  return match ? { slug: match[1]!, version: Number(match[2]) } : undefined;
}

/** An application name from a document's title (kebab-case); here, not in the processing code, so the API can use it without loading the parser. */
export function slugFrom(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, 'api-$1');
  return slug || 'imported-api';
}
