/**
 * What a scaffold needs to know of an application written in code: the name its module exports it
 * under, a channel of it pointed at a loopback fake, and a connector call with the answer a fake
 * gives, all checked against the application's own schemas before anything is written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import { isOAuth } from '../../applications/framework/auth';
import type { Connector } from '../../connectors/framework/connector';
import { describeIssues } from '../../connectors/framework/evaluate';
import type { Integration } from '../../connectors/framework/integration';
import { UsageError } from './names';
import { sample } from './samples';

/** Stands for the fake's URL in a sampled value; the template puts `fake.url` there. */
export const FAKE_URL = '__FAKE_URL__';
const PROBE_URL = 'http://127.0.0.1:1';

export interface LoadedApplication {
  folder: string;
  application: Application;
  /** The binding `connectors/<folder>/application.ts` exports it as (`demoCrm`). */
  exportName: string;
  integration: Integration;
}

export function loadApplication(root: string, folder: string): LoadedApplication {
  if (!existsSync(join(root, 'connectors', folder, 'index.ts')))
    throw new UsageError(`no application folder connectors/${folder}/ (with an index.ts); create one with: npm run new -- application ${folder}`);
  // The folder is named on the command line: loaded by path, from the sources (scripts/ts-hook.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const integration = (require(join(root, 'connectors', folder, 'index.ts')) as { default?: Integration }).default;
  if (!integration?.application) throw new UsageError(`connectors/${folder}/index.ts has no default export made by defineIntegration`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(join(root, 'connectors', folder, 'application.ts')) as Record<string, unknown>;
  const exportName = Object.keys(module).find((key) => module[key] === integration.application);
  if (!exportName) throw new UsageError(`connectors/${folder}/application.ts does not export the application that index.ts passes to defineIntegration`);
  return { folder, application: integration.application, exportName, integration };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

function checked<T>(schema: z.ZodType, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`could not make a sample ${what} that passes its schema (${describeIssues(result.error)}); write that part of the test by hand`);
  return result.data as T;
}

/**
 * The smallest sample, or else that with one of the optional fields as well (credentials that
 * take a token or an App's keys: `{ token }`), or with all of them; the first the schema takes.
 */
function accepted(schema: z.ZodType, json: unknown, what: string): unknown {
  const minimal = sample(json) as Record<string, unknown>;
  const properties = (json as { properties?: Record<string, unknown> }).properties ?? {};
  const optional = Object.keys(properties).filter((name) => !(name in (minimal ?? {})));
  const withField = (name: string) => ({ ...minimal, [name]: sample(properties[name], { root: json }) });
  const candidates = [minimal, ...optional.map(withField), Object.assign({}, minimal, ...optional.map(withField))];
  const found = candidates.find((candidate) => schema.safeParse(candidate).success);
  return found ?? checked(schema, minimal, what);
}

export interface ChannelSample {
  /** With FAKE_URL as `baseUrl`. */
  settings: Record<string, unknown>;
  credentials: unknown;
  /** The path the application's base URL adds in front of every connector's (`/admin/api/2025-01`), '' for none. */
  pathPrefix: string;
  /** OAuth 2.0: the test gives the channel an access token instead of running a consent. */
  oauth: boolean;
}

export function channelSample(app: Application): ChannelSample {
  const settingsSchema = jsonSchema(app.settings, 'input') as { properties?: Record<string, unknown> };
  if (!settingsSchema.properties?.baseUrl) throw new UsageError(`${app.name}'s settings have no baseUrl, so a test cannot point a channel at a fake; add one (see connectors/slack/application.ts)`);
  const settings = { ...(sample(settingsSchema) as Record<string, unknown>), baseUrl: FAKE_URL };
  const parsed = checked(app.settings, { ...settings, baseUrl: PROBE_URL }, `channel settings for ${app.name}`);
  const base = new URL(app.baseUrl(parsed));
  if (base.origin !== PROBE_URL) throw new UsageError(`${app.name}'s baseUrl(settings) does not follow settings.baseUrl, so a test cannot point it at a fake`);
  const credentials = accepted(app.credentials, jsonSchema(app.credentials, 'input'), `channel credentials for ${app.name}`);
  return { settings, credentials, pathPrefix: base.pathname.replace(/\/+$/, ''), oauth: isOAuth(app.auth) };
}

export interface CallSample {
  input: unknown;
  method: string;
  /** As the fake sees it: the base URL's path, then the connector's. */
  path: string;
  /** What the fake answers with: the smallest body the output schema takes. */
  output: unknown;
  /** Whether that answer leads to another page (then a flow reading all pages reads until it stops). */
  hasNextPage: boolean;
}

export function callSample(connectorKey: string, connector: Connector, pathPrefix: string): CallSample {
  const input = sample(jsonSchema(connector.input, 'input'));
  const parsedInput = checked(connector.input, input, `input for ${connectorKey}`);
  const request = connector.request(parsedInput);
  const output = sample(jsonSchema(connector.output, 'input'), { preferNull: true });
  const parsedOutput = checked(connector.output, output, `answer for ${connectorKey}`);
  const response = { status: 200, headers: new Headers(), body: output, text: JSON.stringify(output) };
  const next = connector.paginator?.next({ input: parsedInput as never, output: parsedOutput as never, response });
  return { input, method: request.method, path: `${pathPrefix}${request.path.split('?')[0]}`, output, hasNextPage: next !== undefined && next !== null };
}
