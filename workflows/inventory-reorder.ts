/**
 * An example flow whose application is imported: the inventory committed as an OpenAPI document
 * under applications/inventory/. Each signed `stock.changed` delivery (Standard Webhooks, as the
 * application file says) is checked against the item as it is now, since deliveries may come late
 * or out of order; an item at or below its reorder point gets its reorder quantity booked once:
 * the item's movements since the change are paged through first (Link headers), and a reorder
 * already among them means another delivery of the same dip booked it.
 */
import { inventoryV1 } from '../applications/inventory/openapi.types';
import { useImportedConnectors } from './framework/imported-connectors';
import type { WebhookFlowInput } from './framework/inputs';
import type { StockChanged } from './inventory-reorder.schema';

export interface ReorderResult {
  sku: string;
  quantity: number;
  /** Booked by this run; otherwise why not. */
  reordered: boolean;
  skipped?: 'above-reorder-point' | 'already-reordered';
  /** Movements read since the change (pages of 20). */
  movementsSeen: number;
  movementId?: string;
}

export async function inventoryReorder({ channelId, body }: WebhookFlowInput<StockChanged>): Promise<ReorderResult> {
  const inventory = useImportedConnectors(inventoryV1);
  const item = await inventory.getItem(channelId, { sku: body.item.sku });
  if (item.quantity > item.reorderPoint) return { sku: item.sku, quantity: item.quantity, reordered: false, skipped: 'above-reorder-point', movementsSeen: 0 };
  let movementsSeen = 0;
  for await (const page of inventory.listMovements.pages(channelId, { sku: item.sku, since: body.occurredAt, limit: 20 })) {
    movementsSeen += page.output.length;
    if (page.output.some((movement) => movement.reason === 'reorder')) return { sku: item.sku, quantity: item.quantity, reordered: false, skipped: 'already-reordered', movementsSeen };
  }
  const movement = await inventory.adjustStock(channelId, { sku: item.sku, body: { delta: item.reorderQuantity, reason: 'reorder' } });
  return { sku: item.sku, quantity: movement.quantityAfter, reordered: true, movementsSeen, movementId: movement.id };
}
