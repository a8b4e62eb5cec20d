import { z } from 'zod';
import { demoErp } from './application';
import { defineConnector } from '../framework/connector';

export const listProducts = defineConnector({
  application: demoErp,
  name: 'listProducts',
  description: 'Products with their stock',
  input: z.object({}),
  output: z.object({ items: z.array(z.object({ sku: z.string(), name: z.string(), stock: z.number().int() })) }),
  request: () => ({ method: 'GET', path: '/api/products' }),
});
