/**
 * Entity flows (signalWithStart) and redeliveries: providers deliver at least once, so one event
 * can arrive twice, and a signal cannot be deduplicated by its workflow id the way a started run
 * is. The API sends each delivery's id with the body; the workflow remembers the ids it applied
 * recently and ignores one it has seen. The memory is bounded (the last 1,000 by default) and is
 * carried through continue-as-new, so an entity fed for years keeps a small state.
 *
 * Part of the workflow bundle: deterministic, no Node APIs.
 */
import { defineSignal, setHandler, type SignalDefinition } from '@temporalio/workflow';

/** What the API sends with every entity delivery, after the body. */
export interface EntityDelivery {
  deliveryId: string;
}

/** A signal an entity webhook sends: the validated body, then the delivery it came in. */
export type EntitySignal<Body> = SignalDefinition<[Body, EntityDelivery]>;

export function defineEntitySignal<Body>(name: string): EntitySignal<Body> {
  return defineSignal<[Body, EntityDelivery]>(name);
}

export const RECENT_DELIVERIES_LIMIT = 1_000;

/** The ids of the last `limit` deliveries applied, oldest first. */
export class RecentDeliveries {
  private readonly ids: string[];
  private readonly seen: Set<string>;

  constructor(
    carried: readonly string[] = [],
    private readonly limit = RECENT_DELIVERIES_LIMIT,
  ) {
    this.ids = carried.slice(-limit);
    this.seen = new Set(this.ids);
  }

  /** True the first time an id comes (and remembers it), false while it is among the last `limit`. */
  admit(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.ids.push(id);
    this.seen.add(id);
    if (this.ids.length > this.limit) this.seen.delete(this.ids.shift()!);
    return true;
  }

  /** What continue-as-new carries. */
  toArray(): string[] {
    return [...this.ids];
  }
}

/**
 * Sets the entity signal's handler so each delivery is applied once. A signal without a delivery
 * (sent before deliveries were passed along, or by hand) is applied as it comes.
 */
export function onEntityDelivery<Body>(signal: EntitySignal<Body>, recent: RecentDeliveries, apply: (body: Body) => void): void {
  setHandler(signal, (body: Body, delivery?: EntityDelivery) => {
    if (typeof delivery?.deliveryId === 'string' && !recent.admit(delivery.deliveryId)) return;
    apply(body);
  });
}
