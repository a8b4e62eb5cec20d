/**
 * The test's own workflow on the committed inventory, bundled by a worker of the test's own (it is
 * no flow of the engine): every item, page by page, by the cursor the document implies
 * (`cursor` parameter, `nextCursor` field), one activity per page.
 */
import { workflowInfo } from '@temporalio/workflow';
import { inventoryV1 } from '../../applications/inventory/openapi.types';
import { useImportedConnectors } from '../../workflows/framework/imported-connectors';
import type { PollingFlowInput } from '../../workflows/framework/inputs';

export async function countInventory(channelId: string, limit: number): Promise<{ items: number; units: number; pages: number; cursors: Array<string | null> }> {
  // This worker's own queue: the calls run beside the workflow.
  const inventory = useImportedConnectors(inventoryV1, { taskQueue: workflowInfo().taskQueue, retry: { maximumAttempts: 2, initialInterval: '100ms' } });
  let items = 0;
  let units = 0;
  const cursors: Array<string | null> = [];
  for await (const page of inventory.listItems.pages(channelId, { limit })) {
    items += page.output.items.length;
    units += page.output.items.reduce((sum, item) => sum + item.quantity, 0);
    cursors.push(page.output.nextCursor);
  }
  return { items, units, pages: cursors.length, cursors };
}

/** A polling flow of the imported application (the test's own): each scheduled run counts the stock, page by page. */
export async function inventorySnapshot({ channelId }: PollingFlowInput): Promise<{ items: number; units: number }> {
  const { items, units } = await countInventory(channelId, 4);
  return { items, units };
}
