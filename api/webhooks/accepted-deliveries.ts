/**
 * The answers to deliveries this API process had Temporal accept, so a redelivery is answered
 * without asking Temporal again. Providers redeliver in bursts (after an outage, or on a timeout of
 * theirs), and every copy names the same workflow id: asked of Temporal, they queue on that one
 * workflow's lock and answer slower than new deliveries. The answer is safe to reuse: the workflow
 * id is taken for good once started (REJECT_DUPLICATE) and an entity workflow ignores a delivery
 * id it applied, so Temporal would start nothing either. Only checked after the delivery passed
 * verification and validation; bounded in size and age, per process (another instance or a
 * restart asks Temporal, which answers the same).
 */
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { WebhookAccepted } from './webhook-accepted';

const MAX_DELIVERIES = 10_000;
const MAX_AGE_MS = 10 * 60_000;

@Injectable()
export class AcceptedDeliveries {
  private readonly answers = new LRUCache<string, WebhookAccepted>({ max: MAX_DELIVERIES, ttl: MAX_AGE_MS });

  /** What a redelivery of this delivery at this path answers; undefined when this process has not seen it. */
  redelivery(path: string, deliveryId: string): WebhookAccepted | undefined {
    return this.answers.get(keyOf(path, deliveryId));
  }

  /** `answer`: what a redelivery is to answer (its started runs marked duplicate). */
  remember(path: string, answer: WebhookAccepted): void {
    this.answers.set(keyOf(path, answer.deliveryId), answer);
  }
}

const keyOf = (path: string, deliveryId: string) => `${path}\n${deliveryId}`;
