import { z } from 'zod';
import { defineConnector } from '../framework/connector';
import { shopify } from './application';
import { evaluateShopify } from './errors';
import { listInput, listQuery, pageInfoPagination, sharedListQuery } from './page-info';
import { Product, ShopifyIdInput } from './schemas';

/** https://shopify.dev/docs/api/admin-rest/latest/resources/product#get-products */
export const listProducts = defineConnector({
  application: shopify,
  name: 'listProducts',
  description: "One page of the shop's products with their variants, by Link page_info",
  input: listInput({
    status: z.enum(['active', 'archived', 'draft']).optional(),
    vendor: z.string().min(1).optional(),
    productType: z.string().min(1).optional(),
    /** Comma-separated handles, as Shopify takes them. */
    handle: z.string().min(1).optional(),
    title: z.string().min(1).optional(),
    collectionId: ShopifyIdInput.optional(),
    publishedStatus: z.enum(['published', 'unpublished', 'any']).optional(),
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
      ...sharedListQuery(input),
    }),
  }),
  evaluate: evaluateShopify('shopify.listProducts', 'products'),
  pagination: () => pageInfoPagination(),
});
