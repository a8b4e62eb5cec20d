/** Every Stripe connector: of the Stripe application, with Stripe's error evaluation. */
import type { z } from 'zod';
import { defineConnector, type Connector, type ConnectorDefinition } from '../framework/connector';
import { stripe } from './application';
import { evaluateStripe } from './errors';

export function defineStripeConnector<I extends z.ZodType, O extends z.ZodType>(definition: Omit<ConnectorDefinition<I, O>, 'application' | 'evaluate'>): Connector<I, O> {
  return defineConnector({ ...definition, application: stripe, evaluate: evaluateStripe(`${stripe.name}.${definition.name}`) });
}
