import { z } from 'zod';
import { defineConnector } from '../framework/connector';
import { shopify } from './application';
import { evaluateShopify } from './errors';
import { listInput, listQuery, pageInfoPagination, sharedListQuery } from './page-info';
import { Customer } from './schemas';

/** https://shopify.dev/docs/api/admin-rest/latest/resources/customer#get-customers */
export const listCustomers = defineConnector({
  application: shopify,
  name: 'listCustomers',
  description: "One page of the shop's customers, by Link page_info",
  input: listInput({}),
  output: z.array(Customer),
  request: (input) => ({
    method: 'GET',
    path: '/customers.json',
    query: listQuery(input.limit, input.pageInfo, sharedListQuery(input)),
  }),
  evaluate: evaluateShopify('shopify.listCustomers', 'customers'),
  pagination: () => pageInfoPagination(),
});
