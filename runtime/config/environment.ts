/**
 * The environment of every process, in one zod schema: the only module that reads `process.env`.
 * Each process's `main` calls `loadEnvironment()` once; a bad value stops the start with a message
 * naming the variable (`PORT: must be a port number (0–65535), not "30OO"`), instead of a NaN
 * found later. What it returns is handed on (injected) to what needs it: `config.env` is the
 * checked environment for the settings builders (securityFromEnv, temporalSettingsFromEnv, …),
 * the other fields are the typed values.
 *
 * The README's Environment table lists the same variables with the same defaults
 * (runtime/config/environment.test.ts checks the two against each other): a variable added here
 * is added there.
 */
import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { parseRateLimit } from '../../api/auth/rate-limit-config';

/** An environment as a process sees it (or a test hands in). */
export type Env = Readonly<Record<string, string | undefined>>;

interface Variable {
  /** The README table's default column, as written there. */
  readme: string;
  schema: z.ZodType;
}

const unset = (text: string | undefined): boolean => text === undefined || text === '';

/** A string read as `parse` says; unset (or empty) gives `fallback`. `parse` throws a message without the name. */
function parsed<T>(fallback: T, parse: (text: string) => T) {
  return z
    .string()
    .optional()
    .transform((text, ctx): T => {
      if (unset(text)) return fallback;
      try {
        return parse(text!.trim());
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });
}

function port<F extends number | undefined>(fallback: F) {
  return parsed<number | F>(fallback, (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value > 65_535) throw new Error(`must be a port number (0–65535), not "${text}"`);
    return value;
  });
}

function positiveInteger(fallback: number) {
  return parsed(fallback, (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) throw new Error(`must be a positive integer, not "${text}"`);
    return value;
  });
}

function text() {
  return parsed<string | undefined>(undefined, (value) => value);
}

function textOr(fallback: string) {
  return parsed<string>(fallback, (value) => value);
}

function oneOf<const T extends string>(values: readonly T[], fallback: T | undefined, normalise: (text: string) => string = (t) => t) {
  return parsed<T | undefined>(fallback, (value) => {
    const candidate = normalise(value);
    if (!(values as readonly string[]).includes(candidate)) throw new Error(`must be one of ${values.join(', ')}, not "${value}"`);
    return candidate as T;
  });
}

function flag(fallback: boolean) {
  return parsed(fallback, (value) => {
    if (['true', '1'].includes(value)) return true;
    if (['false', '0'].includes(value)) return false;
    throw new Error(`must be true or false, not "${value}"`);
  });
}

function secret(minLength: number) {
  return parsed<string | undefined>(undefined, (value) => {
    if (value.length < minLength) throw new Error(`must be at least ${minLength} characters (generate one with \`npm run api-key -- generate\`)`);
    return value;
  });
}

function rateLimit(name: string) {
  return text().superRefine((value, ctx) => {
    try {
      parseRateLimit(name, value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(`${name} `, '') });
    }
  });
}

/** A size as the body parser takes it: `1mb`, `50mb`, `512kb`, a byte count. */
function size(fallback: string) {
  return parsed(fallback, (value) => {
    if (!/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i.test(value)) throw new Error(`must be a size such as 1mb, 512kb or a byte count, not "${value}"`);
    return value;
  });
}

function keyList() {
  return text().superRefine((value, ctx) => {
    if (value === undefined) return;
    for (const entry of value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const [id, key] = entry.split(':');
      if (!id || !key || Buffer.from(key, 'base64').length !== 32)
        ctx.addIssue({ code: 'custom', message: `must be id:base64key[,id:base64key…] with 32-byte keys (generate one with \`npm run keys:generate\`); "${id ?? ''}:…" is not` });
    }
  });
}

function url() {
  return parsed<string | undefined>(undefined, (value) => {
    if (!URL.canParse(value)) throw new Error(`must be a URL, not "${value}"`);
    return value;
  });
}

function duration(fallback: string) {
  return parsed(fallback, (value) => {
    if (!/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/.test(value)) throw new Error(`must be a duration such as 30s, 1m or 5m, not "${value}"`);
    return value;
  });
}

/**
 * Every variable the engine reads, in the README table's order. The README's default column is
 * kept beside each (a test compares them).
 */
export const VARIABLES = {
  PORT: { readme: '`3000`', schema: port(3000) },
  HOST: { readme: '`127.0.0.1`', schema: textOr('127.0.0.1') },
  ADMIN_PORT: { readme: 'unset', schema: port(undefined) },
  ADMIN_HOST: { readme: '`127.0.0.1`', schema: textOr('127.0.0.1') },
  ENGINE_API_KEY: { readme: '`npm start`: generated into `.data/api-key`', schema: secret(32) },
  ALLOWED_HOSTS: { readme: 'unset', schema: text() },
  DOCS_PUBLIC: { readme: '`true`', schema: flag(true) },
  API_RATE_LIMIT_PER_KEY: { readme: '`600/60s`', schema: rateLimit('API_RATE_LIMIT_PER_KEY') },
  API_RATE_LIMIT_PER_SOURCE: { readme: '`1000/10s`', schema: rateLimit('API_RATE_LIMIT_PER_SOURCE') },
  WEBHOOK_RATE_LIMIT_PER_CHANNEL: { readme: '`1000/10s`', schema: rateLimit('WEBHOOK_RATE_LIMIT_PER_CHANNEL') },
  TRUST_PROXY: {
    readme: 'unset',
    schema: text().superRefine((value, ctx) => {
      if (value === 'true') ctx.addIssue({ code: 'custom', message: 'true would trust any X-Forwarded-For a client sends; give the number of proxies in front (e.g. 1) or their addresses/subnets' });
    }),
  },
  NODE_ENV: { readme: 'unset', schema: text() },
  TEMPORAL_ADDRESS: { readme: 'unset', schema: text() },
  TEMPORAL_NAMESPACE: { readme: '`default`', schema: textOr('default') },
  TEMPORAL_TASK_QUEUE: { readme: '`integrations`', schema: textOr('integrations') },
  TEMPORAL_PROFILE: { readme: 'unset', schema: text() },
  TEMPORAL_CONFIG_FILE: { readme: '`~/.config/temporalio/temporal.toml`', schema: text() },
  TEMPORAL_TLS: { readme: 'unset', schema: parsed<boolean | undefined>(undefined, (value) => flag(false).parse(value)) },
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: { readme: 'unset', schema: text() },
  TEMPORAL_TLS_CLIENT_CERT_PATH: { readme: 'unset', schema: text() },
  TEMPORAL_TLS_CLIENT_KEY_PATH: { readme: 'unset', schema: text() },
  TEMPORAL_TLS_CA: { readme: 'unset', schema: text() },
  TEMPORAL_TLS_CERT: { readme: 'unset', schema: text() },
  TEMPORAL_TLS_KEY: { readme: 'unset', schema: text() },
  TEMPORAL_TLS_SERVER_NAME: { readme: 'unset', schema: text() },
  TEMPORAL_API_KEY: { readme: 'unset', schema: text() },
  TEMPORAL_WEB_UI_URL: { readme: "dev server's", schema: url() },
  TEMPORAL_CLI_PATH: { readme: 'unset', schema: text() },
  TEMPORAL_PORT: { readme: '`7233`', schema: port(7233) },
  TEMPORAL_UI_PORT: { readme: '`8233`', schema: port(8233) },
  DATA_DIR: { readme: '`.data`', schema: text() },
  DEMO: { readme: 'on', schema: parsed(true, (value) => value !== '0') },
  DEMO_CRM_PORT: { readme: '`4010`', schema: port(4010) },
  DEMO_CRM_API_KEY: { readme: '`demo-api-key`', schema: textOr('demo-api-key') },
  DEMO_MAILER_PORT: { readme: '`4020`', schema: port(4020) },
  DEMO_MAILER_TOKEN: { readme: '`demo-mailer-token`', schema: textOr('demo-mailer-token') },
  DEMO_MAILER_WEBHOOK_SECRET: { readme: '`demo-mailer-webhook-secret`', schema: textOr('demo-mailer-webhook-secret') },
  DEMO_WEBHOOK_EVERY_MS: { readme: '`30000`', schema: positiveInteger(30_000) },
  DEMO_SYNC_EVERY: { readme: '`1m` under `npm start`, else `5m`', schema: duration('5m') },
  API_URL: { readme: '`http://127.0.0.1:<PORT>`', schema: url() },
  PUBLIC_URL: { readme: '`http://HOST:PORT`', schema: url() },
  DATABASE_URL: {
    readme: 'unset',
    schema: text().superRefine((value, ctx) => {
      if (value !== undefined && !/^postgres(ql)?:\/\//.test(value)) ctx.addIssue({ code: 'custom', message: 'must be a postgres:// URL; leave it unset for the embedded SQLite store' });
    }),
  },
  CREDENTIALS_KEYS: { readme: 'dev key file', schema: keyList() },
  WORKER_METRICS_PORT: { readme: '`9464`', schema: port(9464) },
  WORKER_SDK_METRICS_PORT: { readme: '`9465`', schema: port(9465) },
  WORKER_METRICS_HOST: { readme: '`127.0.0.1`', schema: textOr('127.0.0.1') },
  WORKER_HEAP_MB: {
    readme: '`1024`',
    schema: positiveInteger(1024).refine((mb) => mb >= 256, { message: 'must be at least 256 (MB): below that the SDK would cache only a few dozen runs' }),
  },
  WORKER_BUILD_ID: { readme: 'unset', schema: text() },
  WORKER_DEPLOYMENT_NAME: { readme: 'unset', schema: text() },
  WORKER_VERSIONING_BEHAVIOR: { readme: '`AUTO_UPGRADE`', schema: oneOf(['PINNED', 'AUTO_UPGRADE'], undefined) },
  LOG_LEVEL: { readme: '`info`', schema: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info') },
  LOG_FORMAT: { readme: '`json` (`pretty` under `npm start`)', schema: oneOf(['json', 'pretty'], 'json', (value) => value.toLowerCase()) },
  IMPORT_BODY_LIMIT: { readme: '`50mb`', schema: size('50mb') },
  IMPORT_TIMEOUT_MS: { readme: '`10000`', schema: positiveInteger(10_000) },
  IMPORT_MEMORY_MB: { readme: '`256`', schema: positiveInteger(256) },
  IMPORT_CONCURRENCY: { readme: '`2`', schema: positiveInteger(2) },
  IMPORT_MAX_VERSIONS: { readme: '`50`', schema: positiveInteger(50) },
  IMPORT_MAX_BYTES_PER_DAY: { readme: '`104857600` (100 MiB)', schema: positiveInteger(100 * 1024 * 1024) },
  WEBHOOK_BODY_LIMIT: { readme: '`1mb`', schema: size('1mb') },
  WEBHOOK_ACCEPT_TIMEOUT_MS: { readme: '`5000`', schema: positiveInteger(5_000) },
  API_WORKER: { readme: 'off', schema: flag(false) },
  PAYLOAD_CODEC_KEYS: { readme: 'unset', schema: keyList() },
  CODEC_AUTH_TOKEN: { readme: 'unset', schema: secret(32) },
  CODEC_CORS_ORIGIN: { readme: 'Web UI URL', schema: text() },
  EGRESS_ALLOW: { readme: 'unset (`npm start`: its demo services)', schema: text() },
  EGRESS_DENY: { readme: 'unset', schema: text() },
  APPLICATION_HOSTS: { readme: 'unset', schema: text() },
  CONNECTOR_MAX_RESPONSE_BYTES: { readme: '`33554432` (32 MiB)', schema: positiveInteger(32 * 1024 * 1024) },
  CONNECTOR_MAX_SOCKETS_PER_ORIGIN: { readme: '`64`', schema: positiveInteger(64) },
  CONNECTOR_MAX_FREE_SOCKETS_PER_ORIGIN: { readme: '`16`', schema: positiveInteger(16) },
  CONNECTOR_MAX_SOCKETS: { readme: '`1024`', schema: positiveInteger(1024) },
  OTEL_EXPORTER_OTLP_ENDPOINT: { readme: 'unset', schema: url() },
  OTEL_SERVICE_NAME: { readme: '`integration-engine-<process>`', schema: text() },
} satisfies Record<string, Variable>;

/** Variables named by a pattern (one pair per application), checked where they are read (channels/env-channels.ts). */
export const VARIABLE_PATTERNS = {
  'CHANNEL_<APP>_SETTINGS': { readme: 'set by `npm start` for the demo' },
  'CHANNEL_<APP>_CREDENTIALS': { readme: 'set by `npm start` for the demo' },
} as const;

/** Today's names of the Temporal TLS files, kept working beside Temporal's standard ones. */
export const TEMPORAL_ALIASES = {
  TEMPORAL_TLS_CA: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  TEMPORAL_TLS_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
} as const;

type Variables = typeof VARIABLES;
export type EnvironmentValues = { [K in keyof Variables]: z.output<Variables[K]['schema']> };

const schema = z
  .object(Object.fromEntries(Object.entries(VARIABLES).map(([name, variable]) => [name, variable.schema])) as { [K in keyof Variables]: Variables[K]['schema'] })
  .superRefine((values, ctx) => {
    const cert = values.TEMPORAL_TLS_CLIENT_CERT_PATH ?? values.TEMPORAL_TLS_CERT;
    const key = values.TEMPORAL_TLS_CLIENT_KEY_PATH ?? values.TEMPORAL_TLS_KEY;
    if (Boolean(cert) !== Boolean(key))
      ctx.addIssue({
        code: 'custom',
        path: [cert ? 'TEMPORAL_TLS_CLIENT_KEY_PATH' : 'TEMPORAL_TLS_CLIENT_CERT_PATH'],
        message: 'the mTLS client certificate and key are set together (TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH, or TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY)',
      });
    for (const [alias, standard] of Object.entries(TEMPORAL_ALIASES) as Array<[keyof typeof TEMPORAL_ALIASES, keyof Variables]>) {
      if (values[alias] && values[standard] && values[alias] !== values[standard]) ctx.addIssue({ code: 'custom', path: [alias], message: `differs from ${standard}; set one of the two` });
    }
  });

export interface Environment extends EnvironmentValues {
  /** The checked environment itself, for the settings builders and the variables named by pattern. */
  env: Env;
}

/** What a bad environment is refused with: every variable at fault, one per line. */
export class EnvironmentError extends Error {
  constructor(readonly problems: Array<{ variable: string; message: string }>) {
    super(`invalid environment:\n${problems.map((problem) => `  ${problem.variable}: ${problem.message}`).join('\n')}`);
    this.name = 'EnvironmentError';
  }
}

/** Checks and reads `env`; throws EnvironmentError naming each variable at fault. */
export function parseEnvironment(env: Env): Environment {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new EnvironmentError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message === 'Invalid input: expected string, received undefined' ? 'is missing' : issue.message,
      })),
    );
  }
  return { ...(result.data as EnvironmentValues), env };
}

/** The process's environment, checked: what each `main` calls once, first. */
export function loadEnvironment(): Environment {
  return parseEnvironment(processEnv());
}

/**
 * The process's environment as it is now. For `main`s (through loadEnvironment), for a child
 * process's environment, and for the few process-wide defaults that tests rely on (the shared
 * HTTP client when no `main` configured one).
 */
export function processEnv(): Env {
  return process.env;
}

/** A child process's environment: this one's, with `overrides` on top. */
export function childEnv(overrides: Env = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** Where envconfig looks for the default temporal.toml (when TEMPORAL_CONFIG_FILE is unset). */
const CONFIG_DIR_VARIABLES = ['HOME', 'XDG_CONFIG_HOME', 'APPDATA'];

/**
 * Temporal's standard variables for @temporalio/envconfig, with today's names (TEMPORAL_TLS_CA,
 * TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY) as aliases of the standard ones. TEMPORAL_TLS=true is read
 * as envconfig reads it; an API key or any TLS file also turns TLS on.
 */
export function temporalEnvVars(env: Env): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && (name.startsWith('TEMPORAL_') || CONFIG_DIR_VARIABLES.includes(name))) vars[name] = value;
  for (const [alias, standard] of Object.entries(TEMPORAL_ALIASES)) {
    if (vars[alias] && !vars[standard]) vars[standard] = vars[alias];
  }
  // envconfig drops empty strings as "unset" only for some names; treat every empty one as unset.
  for (const [name, value] of Object.entries(vars)) if (value === '') delete vars[name];
  return vars;
}

/**
 * DEMO_SYNC_EVERY, checked (`1m`, `5m`, …): the example polling flows' interval. The flow registry
 * (workflows/flows.ts) is a module-level constant, so this is read when it is first imported;
 * a bad value stops that import naming the variable.
 */
export function demoSyncEvery(env: Env = processEnv()): Duration {
  const result = VARIABLES.DEMO_SYNC_EVERY.schema.safeParse(env.DEMO_SYNC_EVERY);
  if (!result.success) throw new EnvironmentError(result.error.issues.map((issue) => ({ variable: 'DEMO_SYNC_EVERY', message: issue.message })));
  return result.data as Duration;
}
