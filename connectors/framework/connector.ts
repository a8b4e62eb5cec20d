/**
 * A connector is one endpoint of one application: typed input, the request it builds, and the
 * typed output it evaluates the response into.
 */
import type { z } from 'zod';
import type { Application, RateLimit } from '../../applications/framework/application';
import type { HttpMethod, QueryStyle, QueryValue } from '../../applications/framework/request';
import type { ConnectorResponse } from './evaluate';
import { paginationHelpers, type PaginationHelpers, type Paginator } from './pagination';

export interface RequestSpec {
  method: HttpMethod;
  /** Path below the application's base URL, e.g. `/api/contacts/42/notes`. */
  path: string;
  /** Arrays and objects are serialised per `queryStyles` (default OpenAPI's form, explode: `?tag=a&tag=b`). */
  query?: Record<string, QueryValue>;
  queryStyles?: Record<string, QueryStyle>;
  headers?: Record<string, string>;
  /** JSON by default; `form()`, `multipart()` or `raw()` from `connectors/framework/http/body` for the others. */
  body?: unknown;
}

export interface ConnectorDefinition<I extends z.ZodType, O extends z.ZodType> {
  application: Application;
  /** camelCase action name, unique within its application. */
  name: string;
  description: string;
  input: I;
  output: O;
  // Method syntax on purpose: keeps Connector<SpecificSchema> assignable to Connector<ZodType>.
  request(input: z.output<I>): RequestSpec;
  /**
   * Replaces the default status mapping. Return the value to validate against `output`, or throw a
   * ConnectorError. `defaults()` runs the default evaluation.
   */
  evaluate?: (response: ConnectorResponse, defaults: () => unknown) => unknown;
  timeoutMs?: number;
  /**
   * This endpoint's own limit, where the vendor limits endpoints apart (Slack's method tiers): its
   * calls get a task queue of their own (`<flows queue>.<key>.<name>`) with this limit instead of
   * sharing the application's.
   */
  rateLimit?: RateLimit;
  /**
   * For writes: a key naming the record version this call writes (e.g. `${id}@${updatedAt}`). The
   * idempotency key sent is then derived from it instead of from the activity, so the same record
   * written by a retry or by a later run applies once at the target.
   */
  idempotencyKey?(input: z.output<I>): string;
  /** How to fetch the next page: `(p) => p.pageNumber({…})`, `p.offset`, `p.cursor`, `p.linkHeader()` or `p.nextUrl({…})`. */
  pagination?(helpers: PaginationHelpers<z.output<NoInfer<I>>, z.output<NoInfer<O>>>): Paginator<z.output<I>, z.output<O>>;
}

/** A defined connector: its definition, with the pagination helpers already applied. */
export type Connector<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = Readonly<
  Omit<ConnectorDefinition<I, O>, 'pagination'> & { paginator: Paginator<z.output<I>, z.output<O>> | undefined }
>;

export type ConnectorInput<C> = C extends Connector<infer I, z.ZodType> ? z.input<I> : never;
export type ConnectorOutput<C> = C extends Connector<z.ZodType, infer O> ? z.output<O> : never;

export function defineConnector<I extends z.ZodType, O extends z.ZodType>(definition: ConnectorDefinition<I, O>): Connector<I, O> {
  if (!/^[a-z][A-Za-z0-9]*$/.test(definition.name)) throw new Error(`connector name "${definition.name}" must be camelCase`);
  const { pagination, ...rest } = definition;
  return Object.freeze({ ...rest, paginator: pagination?.(paginationHelpers as unknown as PaginationHelpers<z.output<I>, z.output<O>>) });
}
