/** Every HubSpot connector: of the HubSpot application, with HubSpot's error evaluation. */
import type { z } from 'zod';
import { defineConnector, type Connector, type ConnectorDefinition } from '../framework/connector';
import { hubspot } from './application';
import { evaluateHubSpot } from './errors';

export function defineHubSpotConnector<I extends z.ZodType, O extends z.ZodType>(definition: Omit<ConnectorDefinition<I, O>, 'application' | 'evaluate'>): Connector<I, O> {
  return defineConnector({ ...definition, application: hubspot, evaluate: evaluateHubSpot(`${hubspot.name}.${definition.name}`) });
}
