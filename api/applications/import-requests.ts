/** The body and query of `POST /applications/import`, and what it answers: zod schemas, DTOs and Swagger schemas in one. */
import { z } from 'zod';
import type { ImportResult as Imported } from '../../connectors/openapi/import';
import { requestDto, responseDto, type Fits } from '../common/openapi';

export const ImportRequest = z.strictObject({
  /** kebab-case name of the application; default: from the document's info.title. */
  name: z.string().optional().describe("kebab-case name of the application; default: from the document's info.title"),
  /** The OpenAPI 3.0/3.1 or Swagger 2.0 document: JSON or YAML text, or the JSON object itself. */
  document: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).describe('The OpenAPI 3.0/3.1 or Swagger 2.0 document: JSON or YAML text, or the JSON object itself'),
});
export type ImportRequest = z.output<typeof ImportRequest>;
export class ImportRequestDto extends requestDto(ImportRequest) {}

/** Other query parameters are ignored, as before. */
export const ImportQuery = z.object({
  strict: z.enum(['true', 'false']).optional().describe('true: refuse the document (400) when validation finds a fault, instead of importing it with `warnings`'),
});
export class ImportQueryDto extends requestDto(ImportQuery) {}

const ImportIssue = z.object({ location: z.string().meta({ example: 'components.schemas.issue.properties.number.type' }), message: z.string() });

export const ImportResult = z.object({
  application: z.string().meta({ example: 'petstore@v1' }),
  slug: z.string(),
  version: z.int(),
  title: z.string(),
  actions: z.int(),
  created: z.boolean(),
  unsupported: z.array(ImportIssue),
  warnings: z.array(ImportIssue),
  durationMs: z.int(),
});
export type ImportResult = z.infer<typeof ImportResult>;
export class ImportResultResponse extends responseDto(ImportResult) {}

/** The importer's result fits the schema. */
export type Checks = Fits<Imported, ImportResult>;
