/**
 * Entity flow: one long-lived workflow per support ticket, fed by webhook events through
 * signalWithStart. When the ticket closes, its story goes onto the contact's CRM timeline.
 */
import { allHandlersFinished, condition, continueAsNew, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';
import { useConnectors } from './framework/connectors';
import type { EntityFlowInput } from './framework/inputs';
import type { TicketEvent } from './ticket-lifecycle.schema';

export const ticketEventSignal = defineSignal<[TicketEvent]>('ticketEvent');

/** A ticket nobody touches for this long is considered abandoned and the workflow ends. */
const IDLE_TIMEOUT = '30 days';

export interface TicketState {
  events: TicketEvent[];
}

export async function ticketLifecycle(input: EntityFlowInput & { carried?: TicketState }): Promise<TicketState> {
  const { demoCrm } = useConnectors();
  const state: TicketState = input.carried ?? { events: [] };
  let unseen = 0;
  setHandler(ticketEventSignal, (event) => {
    state.events.push(event);
    unseen += 1;
  });

  for (;;) {
    const gotEvent = await condition(() => unseen > 0, IDLE_TIMEOUT);
    if (!gotEvent) return state;
    unseen = 0;
    const last = state.events[state.events.length - 1];
    if (last?.type === 'closed') {
      await demoCrm.addContactNote(input.channelId, {
        contactId: last.contactId,
        text: `Ticket ${input.entityId} closed after ${state.events.length} events: ${state.events.map((e) => e.type).join(' → ')}`,
      });
      return state;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof ticketLifecycle>({ ...input, carried: state });
    }
  }
}
