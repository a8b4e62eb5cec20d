/**
 * The shapes HubSpot's CRM v3 object endpoints share (https://developers.hubspot.com/docs/api-reference/crm):
 * a record is `{ id, properties, createdAt, updatedAt, archived, … }` with every property value a
 * string (or null when unset), lists are `{ results, paging: { next: { after, link } } }`, and a
 * search answers `{ total, results, paging }`. Kept loose: the rest passes through as HubSpot sent it.
 */
import { z } from 'zod';

/** A record id in a path: HubSpot's are digits; checked so nothing else reaches the path. */
export const RecordId = z.string().regex(/^\d{1,20}$/, 'a HubSpot record id (digits)');

/**
 * A record id, or a unique property's value (`idProperty`, e.g. an e-mail address), URL-encoded
 * into the path. `.` and `..` stay as they are under encoding and would climb to another path.
 */
export const IdOrValue = z
  .string()
  .min(1)
  .max(320)
  .refine((value) => value !== '.' && value !== '..', 'not . or ..')
  .describe('The record id, or the idProperty value');

/** An internal property name (`firstname`, `hs_lastmodifieddate`, `stripe_invoice_id`). */
export const PropertyName = z.string().regex(/^[a-z0-9_]{1,100}$/i, 'an internal property name such as lastmodifieddate');

/**
 * Property values to write. HubSpot stores every value as a string: numbers and booleans are sent
 * as their text, and "" clears a value.
 */
export const PropertyValues = z
  .record(PropertyName, z.union([z.string().max(65_536), z.number(), z.boolean()]))
  .refine((values) => Object.keys(values).length > 0, 'at least one property')
  .transform((values) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value)])));

/** Property names to read back (HubSpot answers a default few without them). */
export const PropertyNames = z.array(PropertyName).max(250).optional().describe('Properties to return; HubSpot returns a default few without them');

export const CrmObject = z.looseObject({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean().optional(),
  archivedAt: z.string().optional(),
});
export type CrmObject = z.output<typeof CrmObject>;

const Paging = z.looseObject({ next: z.looseObject({ after: z.string(), link: z.string().optional() }).optional() }).optional();

/** One page of a list: `paging.next.after` is the next page's cursor, absent on the last one. */
export const CrmPage = z.looseObject({ results: z.array(CrmObject), paging: Paging });

/** One page of a search, with the total it matched. */
export const CrmSearchPage = CrmPage.extend({ total: z.number().int() });

/** HubSpot's pagination: `after` from `paging.next.after` until a page has none. */
export const nextAfter = (page: { paging?: { next?: { after: string } } | undefined }) => page.paging?.next?.after;

/** The search filter operators (https://developers.hubspot.com/docs/api-reference/search/guide#filter-search-results). */
export const FilterOperator = z.enum(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']);

export const Filter = z.object({
  propertyName: PropertyName,
  operator: FilterOperator,
  value: z.string().optional(),
  values: z.array(z.string()).max(100).optional().describe('For IN and NOT_IN'),
  highValue: z.string().optional().describe('For BETWEEN, with value as the low end'),
});
export type Filter = z.output<typeof Filter>;

/** Sorting as HubSpot documents it (the SDK's models type it as a string, wrongly: HubSpot/hubspot-api-nodejs#559). */
export const Sort = z.object({ propertyName: PropertyName, direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') });

/** The search endpoints' paging: at most 200 a page, and never past the 10,000th result. */
export const SearchPaging = {
  limit: z.number().int().min(1).max(200).default(100),
  after: z.string().min(1).max(200).optional().describe("The page after this cursor: the last page's paging.next.after"),
};

/** A search body: the filters ANDed in one group (HubSpot allows up to 5 groups of 6, ORed). */
export function searchBody(input: { filters: Filter[]; sorts: Array<z.output<typeof Sort>>; properties?: string[]; query?: string; limit: number; after?: string }) {
  return {
    ...(input.filters.length ? { filterGroups: [{ filters: input.filters }] } : {}),
    ...(input.sorts.length ? { sorts: input.sorts } : {}),
    ...(input.query ? { query: input.query } : {}),
    ...(input.properties?.length ? { properties: input.properties } : {}),
    limit: input.limit,
    ...(input.after ? { after: input.after } : {}),
  };
}

/** What a read's query asks for: `properties` and `associations` repeated, as HubSpot's own SDK sends them. */
export function readQuery(input: { properties?: string[]; associations?: string[]; archived?: boolean }) {
  return {
    ...(input.properties?.length ? { properties: input.properties } : {}),
    ...(input.associations?.length ? { associations: input.associations } : {}),
    ...(input.archived ? { archived: true } : {}),
  };
}

/** A list endpoint's query: the page and what to read. */
export function listQuery(input: { limit: number; after?: string; properties?: string[]; archived?: boolean }) {
  return { limit: input.limit, ...(input.after ? { after: input.after } : {}), ...readQuery(input) };
}

/** Object types a record's associations can be read for (their ids come back under `associations`). */
export const AssociatedTypes = z
  .array(z.enum(['contacts', 'companies', 'deals', 'tickets', 'notes', 'line_items', 'quotes']))
  .max(10)
  .optional();
