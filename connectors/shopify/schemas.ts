/**
 * The fields of Shopify's REST Admin objects the connectors hand on (Shopify sends many more; zod
 * drops them, which keeps run histories small). Shapes as the REST Admin reference documents them
 * (order, customer, product, webhook), the same in webhook payloads: an `orders/create` delivery's
 * body is the order as `getOrder` answers it, so one schema serves both.
 *
 * Ids come out as strings of digits: Shopify's ids are 64-bit, past what a JS number holds
 * exactly. The connectors read answers with `parseJsonExact`, which keeps them exact; a webhook
 * body the API parsed as plain JSON gets its exact id from `admin_graphql_api_id`
 * (`gid://shopify/Order/<id>`), which Shopify sends beside it.
 */
import { z } from 'zod';

/** An id as the connectors take it: digits, a (safe) number, or a `gid://shopify/<Type>/<id>`. */
export const ShopifyIdInput = z
  .union([
    z.string().regex(/^\d{1,20}$/, 'digits'),
    z.number().int().positive().refine(Number.isSafeInteger, 'a number beyond 2^53 is not exact: give the id as a string'),
    z.string().regex(/^gid:\/\/shopify\/[A-Za-z]+\/\d{1,20}$/, 'gid://shopify/<Type>/<digits>'),
  ])
  .transform((id) => String(id).replace(/^gid:\/\/shopify\/[A-Za-z]+\//, ''))
  .pipe(z.string());

/** An id as Shopify answers it: a number, or the string `parseJsonExact` made of one too large for a number. */
export const ShopifyId = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/)])
  .transform(String)
  .pipe(z.string().describe('A Shopify id: its digits, exact'));

const Timestamp = z.string(); // ISO 8601 with the shop's offset: 2021-12-31T19:00:00-05:00
/** Money is a decimal string ("199.00"), as Shopify sends it: no float rounding. */
const Money = z.string();

/** The exact id from `admin_graphql_api_id` when present (see above), else `id` as given. */
function withExactId(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const gid = typeof record.admin_graphql_api_id === 'string' ? /\/(\d{1,20})$/.exec(record.admin_graphql_api_id)?.[1] : undefined;
  return gid !== undefined && typeof record.id === 'number' && !Number.isSafeInteger(record.id) ? { ...record, id: gid } : value;
}

export const Address = z.object({
  name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company: z.string().nullish(),
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  province: z.string().nullish(),
  province_code: z.string().nullish(),
  zip: z.string().nullish(),
  country: z.string().nullish(),
  country_code: z.string().nullish(),
  phone: z.string().nullish(),
});

export const Customer = z.preprocess(
  withExactId,
  z.object({
    id: ShopifyId,
    admin_graphql_api_id: z.string().optional(),
    email: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    phone: z.string().nullish(),
    state: z.string().nullish(),
    tags: z.string().optional(),
    note: z.string().nullish(),
    verified_email: z.boolean().optional(),
    currency: z.string().optional(),
    created_at: Timestamp.nullish(),
    updated_at: Timestamp.nullish(),
    default_address: Address.nullish(),
  }),
);
export type Customer = z.output<typeof Customer>;

export const LineItem = z.preprocess(
  withExactId,
  z.object({
    id: ShopifyId,
    title: z.string(),
    name: z.string().nullish(),
    variant_title: z.string().nullish(),
    sku: z.string().nullish(),
    vendor: z.string().nullish(),
    quantity: z.number().int(),
    price: Money,
    total_discount: Money.optional(),
    product_id: ShopifyId.nullish(),
    variant_id: ShopifyId.nullish(),
    requires_shipping: z.boolean().optional(),
    taxable: z.boolean().optional(),
    fulfillment_status: z.string().nullish(),
  }),
);

export const ShippingLine = z.object({ title: z.string().nullish(), code: z.string().nullish(), price: Money.nullish() });

export const Order = z.preprocess(
  withExactId,
  z.object({
    id: ShopifyId,
    admin_graphql_api_id: z.string().optional(),
    /** What the shop shows: `#1001`. */
    name: z.string(),
    order_number: z.number().int().optional(),
    email: z.string().nullish(),
    contact_email: z.string().nullish(),
    phone: z.string().nullish(),
    created_at: Timestamp,
    updated_at: Timestamp,
    processed_at: Timestamp.nullish(),
    cancelled_at: Timestamp.nullish(),
    cancel_reason: z.string().nullish(),
    closed_at: Timestamp.nullish(),
    currency: z.string(),
    presentment_currency: z.string().optional(),
    total_price: Money,
    subtotal_price: Money.nullish(),
    total_tax: Money.nullish(),
    total_discounts: Money.nullish(),
    total_line_items_price: Money.nullish(),
    financial_status: z.string().nullish(),
    fulfillment_status: z.string().nullish(),
    tags: z.string().optional(),
    note: z.string().nullish(),
    test: z.boolean().optional(),
    source_name: z.string().nullish(),
    order_status_url: z.string().nullish(),
    customer: Customer.nullish(),
    billing_address: Address.nullish(),
    shipping_address: Address.nullish(),
    line_items: z.array(LineItem),
    shipping_lines: z.array(ShippingLine).optional(),
  }),
);
export type Order = z.output<typeof Order>;

export const Variant = z.preprocess(
  withExactId,
  z.object({
    id: ShopifyId,
    product_id: ShopifyId.optional(),
    title: z.string(),
    price: Money,
    sku: z.string().nullish(),
    barcode: z.string().nullish(),
    inventory_quantity: z.number().int().nullish(),
    position: z.number().int().optional(),
  }),
);

export const Product = z.preprocess(
  withExactId,
  z.object({
    id: ShopifyId,
    admin_graphql_api_id: z.string().optional(),
    title: z.string(),
    handle: z.string(),
    vendor: z.string().nullish(),
    product_type: z.string().nullish(),
    status: z.string().optional(),
    tags: z.string().optional(),
    created_at: Timestamp.nullish(),
    updated_at: Timestamp.nullish(),
    published_at: Timestamp.nullish(),
    variants: z.array(Variant).optional(),
  }),
);
export type Product = z.output<typeof Product>;

export const Webhook = z.object({
  id: ShopifyId,
  address: z.string(),
  topic: z.string(),
  format: z.string(),
  api_version: z.string().optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});

/** A Shopify topic as webhooks name them: `orders/create`, `app/uninstalled`, `inventory_levels/update`. */
export const Topic = z.string().regex(/^[a-z][a-z_]*\/[a-z][a-z_]*$/, 'a Shopify topic such as orders/create');
