import { z } from 'zod';
import { defineConnector } from '../framework/connector';
import { shopify } from './application';
import { evaluateShopify } from './errors';
import { filtersBesidePageInfo, listQuery, pageInfoPagination } from './page-info';
import { Product, ShopifyIdInput } from './schemas';

const Instant = z.iso.datetime({ offset: true });
const FILTERS = ['status', 'vendor', 'productType', 'handle', 'title', 'collectionId', 'publishedStatus', 'updatedAtMin', 'updatedAtMax', 'createdAtMin', 'createdAtMax', 'sinceId', 'ids'] as const;

/** https://shopify.dev/docs/api/admin-rest/latest/resources/product#get-products */
export const listProducts = defineConnector({
  application: shopify,
  name: 'listProducts',
  description: "One page of the shop's products with their variants, by Link page_info",
  input: z
    .object({
      status: z.enum(['active', 'archived', 'draft']).optional(),
      vendor: z.string().min(1).optional(),
      productType: z.string().min(1).optional(),
      /** Comma-separated handles, as Shopify takes them. */
      handle: z.string().min(1).optional(),
      title: z.string().min(1).optional(),
      collectionId: ShopifyIdInput.optional(),
      publishedStatus: z.enum(['published', 'unpublished', 'any']).optional(),
      updatedAtMin: Instant.optional(),
      updatedAtMax: Instant.optional(),
      createdAtMin: Instant.optional(),
      createdAtMax: Instant.optional(),
      sinceId: ShopifyIdInput.optional(),
      ids: z.array(ShopifyIdInput).min(1).max(250).optional(),
      limit: z.number().int().min(1).max(250).default(50),
      /** The next page's cursor from a Link header; `.pages()` sets it. With it, only `limit` may be given. */
      pageInfo: z.string().min(1).max(2048).optional(),
    })
    .superRefine((input, ctx) => {
      for (const name of filtersBesidePageInfo(input, FILTERS)) ctx.addIssue({ code: 'custom', path: [name], message: "not with pageInfo: the page_info carries the first request's filters" });
    }),
  output: z.array(Product),
  request: (input) => ({
    method: 'GET',
    path: '/products.json',
    query: listQuery(input.limit, input.pageInfo, {
      status: input.status,
      vendor: input.vendor,
      product_type: input.productType,
      handle: input.handle,
      title: input.title,
      collection_id: input.collectionId,
      published_status: input.publishedStatus,
      updated_at_min: input.updatedAtMin,
      updated_at_max: input.updatedAtMax,
      created_at_min: input.createdAtMin,
      created_at_max: input.createdAtMax,
      since_id: input.sinceId,
      ids: input.ids?.join(','),
    }),
  }),
  evaluate: evaluateShopify('shopify.listProducts', 'products'),
  pagination: () => pageInfoPagination(),
});
