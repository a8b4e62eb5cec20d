/**
 * The body of the inventory's `stock.changed` webhook (applications/inventory/openapi.yaml,
 * `webhooks.stockChanged`), as the flow reads it. Checked against the generated types of the
 * committed document, so the two cannot drift apart.
 */
import { z } from 'zod';
import type { Item, Movement } from '../applications/inventory/openapi.types';

const Reason = z.enum(['sale', 'return', 'reorder', 'stocktake']);

export const StockChanged = z.object({
  id: z.string().min(1),
  type: z.literal('stock.changed'),
  occurredAt: z.iso.datetime({ offset: true }),
  item: z.object({
    sku: z.string().regex(/^[A-Z0-9-]{1,32}$/),
    name: z.string(),
    quantity: z.number().int().min(0),
    reorderPoint: z.number().int().min(0),
    reorderQuantity: z.number().int().min(1),
    updatedAt: z.iso.datetime({ offset: true }),
  }),
  movement: z.object({ id: z.string(), sku: z.string(), delta: z.number().int(), reason: Reason, quantityAfter: z.number().int(), at: z.iso.datetime({ offset: true }) }),
});
export type StockChanged = z.infer<typeof StockChanged>;

// The document's shapes and this schema's are the same (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type StockChangedMatchesDocument = [true, true] extends [Same<StockChanged['item'], Item>, Same<StockChanged['movement'], Movement>] ? true : never;
const matches: StockChangedMatchesDocument = true;
void matches;

export const stockChangedExample: StockChanged = {
  id: 'evt_2b7f1c',
  type: 'stock.changed',
  occurredAt: '2026-12-03T09:15:00Z',
  item: { sku: 'MUG-01', name: 'Enamel mug', quantity: 3, reorderPoint: 5, reorderQuantity: 24, updatedAt: '2026-12-03T09:15:00Z' },
  movement: { id: 'mv_1042', sku: 'MUG-01', delta: -2, reason: 'sale', quantityAfter: 3, at: '2026-12-03T09:15:00Z' },
};
