/**
 * Entity flow: one long-lived workflow per support ticket, fed by webhook events through
 * signalWithStart. When the ticket closes, its story goes onto the contact's CRM timeline.
 * A redelivered event (same delivery id) is applied once; the state is bounded however long the
 * ticket lives or however much it is fed, so continue-as-new always carries a small payload.
 */
import { allHandlersFinished, condition, continueAsNew, defineQuery, setHandler, workflowInfo } from '@temporalio/workflow';
import { useConnectors } from './framework/connectors';
import { defineEntitySignal, onEntityDelivery, RecentDeliveries } from './framework/entity-deliveries';
import type { EntityFlowInput } from './framework/inputs';
import type { TicketEvent } from './ticket-lifecycle.schema';

export const ticketEventSignal = defineEntitySignal<TicketEvent>('ticketEvent');
/** What the workflow knows about its ticket so far (for the Web UI's query tab and tests). */
export const ticketStateQuery = defineQuery<TicketState>('ticketState');

/** A ticket nobody touches for this long is considered abandoned and the workflow ends. */
const IDLE_TIMEOUT = '30 days';
/** The latest events kept for the closing note; older ones are only counted. */
const KEPT_EVENTS = 100;

export interface TicketState {
  /** The latest events, at most KEPT_EVENTS, oldest first. */
  events: TicketEvent[];
  /** Every event applied, also those no longer kept (absent in state carried by older runs). */
  count?: number;
  /** Ids of the deliveries applied recently: a redelivery among them is ignored. */
  deliveries?: string[];
}

export async function ticketLifecycle(input: EntityFlowInput & { carried?: TicketState }): Promise<TicketState> {
  const { demoCrm } = useConnectors();
  const carried = input.carried;
  const events = carried?.events.slice(-KEPT_EVENTS) ?? [];
  let count = carried?.count ?? carried?.events.length ?? 0;
  const recent = new RecentDeliveries(carried?.deliveries);
  const state = (): TicketState => ({ events, count, deliveries: recent.toArray() });
  let unseen = 0;
  setHandler(ticketStateQuery, state);
  onEntityDelivery(ticketEventSignal, recent, (event) => {
    events.push(event);
    if (events.length > KEPT_EVENTS) events.shift();
    count += 1;
    unseen += 1;
  });

  for (;;) {
    const gotEvent = await condition(() => unseen > 0, IDLE_TIMEOUT);
    if (!gotEvent) return state();
    unseen = 0;
    const last = events[events.length - 1];
    if (last?.type === 'closed') {
      const story = events.map((e) => e.type).join(' → ');
      await demoCrm.addContactNote(input.channelId, {
        contactId: last.contactId,
        text: `Ticket ${input.entityId} closed after ${count} events: ${count > events.length ? `… → ${story}` : story}`,
      });
      return state();
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof ticketLifecycle>({ ...input, carried: state() });
    }
  }
}
