import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError, parseEnvironment, VARIABLE_PATTERNS, VARIABLES } from './environment';
import { temporalSettingsFromEnv } from '../temporal-config';

describe('the environment schema', () => {
  it('gives the defaults for an empty environment', () => {
    const config = parseEnvironment({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'integrations',
      WORKER_METRICS_PORT: 9464,
      WORKER_HEAP_MB: 1024,
      IMPORT_MAX_BYTES_PER_DAY: 104_857_600,
      DEMO: true,
      DOCS_PUBLIC: true,
    });
    expect(config.ADMIN_PORT).toBeUndefined();
  });

  it('refuses a bad number, naming the variable, instead of a NaN', () => {
    expect(() => parseEnvironment({ PORT: '30OO' })).toThrow(/PORT: must be a port number \(0–65535\), not "30OO"/);
    expect(() => parseEnvironment({ WEBHOOK_ACCEPT_TIMEOUT_MS: '5s' })).toThrow(/WEBHOOK_ACCEPT_TIMEOUT_MS: must be a positive integer, not "5s"/);
    expect(() => parseEnvironment({ IMPORT_MAX_VERSIONS: '0' })).toThrow(EnvironmentError);
    // A heap limit the worker cannot run a flow in stops the start, not the worker mid-sync.
    expect(() => parseEnvironment({ WORKER_HEAP_MB: '64' })).toThrow(/WORKER_HEAP_MB: must be at least 256 \(MB\)/);
    expect(parseEnvironment({ WORKER_HEAP_MB: '2048' }).WORKER_HEAP_MB).toBe(2048);
  });

  it('lists every variable at fault, one per line', () => {
    try {
      parseEnvironment({ WORKER_METRICS_PORT: 'x', API_RATE_LIMIT_PER_KEY: 'lots', LOG_LEVEL: 'loud', ENGINE_API_KEY: 'short' });
      throw new Error('not refused');
    } catch (err) {
      expect(err).toBeInstanceOf(EnvironmentError);
      expect((err as EnvironmentError).problems.map((problem) => problem.variable).sort()).toEqual(['API_RATE_LIMIT_PER_KEY', 'ENGINE_API_KEY', 'LOG_LEVEL', 'WORKER_METRICS_PORT']);
      expect((err as Error).message).toMatch(/^invalid environment:\n {2}/);
    }
  });

  it('keeps TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY working as aliases of the standard names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-env-'));
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, name), `${name} contents`);
    const old = temporalSettingsFromEnv({
      TEMPORAL_ADDRESS: 'temporal.example:7233',
      TEMPORAL_TLS_CA: join(dir, 'ca.pem'),
      TEMPORAL_TLS_CERT: join(dir, 'cert.pem'),
      TEMPORAL_TLS_KEY: join(dir, 'key.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_CONFIG_FILE: join(dir, 'none.toml'),
    });
    const standard = temporalSettingsFromEnv({
      TEMPORAL_ADDRESS: 'temporal.example:7233',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.pem'),
      TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'cert.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'key.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_CONFIG_FILE: join(dir, 'none.toml'),
    });
    expect(old).toEqual(standard);
    expect(old.tls?.serverNameOverride).toBe('temporal.internal');
    expect(Buffer.from(old.tls!.serverRootCACertificate!).toString()).toBe('ca.pem contents');
    expect(Buffer.from(old.tls!.clientCertPair!.crt).toString()).toBe('cert.pem contents');
    expect(() => parseEnvironment({ TEMPORAL_TLS_CERT: join(dir, 'cert.pem') })).toThrow(/TEMPORAL_TLS_CLIENT_KEY_PATH: the mTLS client certificate and key are set together/);
  });

  it('reads the Temporal connection as Temporal does: an API key implies TLS, a profile from TEMPORAL_CONFIG_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-env-'));
    expect(temporalSettingsFromEnv({ TEMPORAL_ADDRESS: 'x.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'prod.abc12', TEMPORAL_API_KEY: 'k', TEMPORAL_CONFIG_FILE: join(dir, 'none.toml') })).toMatchObject({
      address: 'x.tmprl.cloud:7233',
      namespace: 'prod.abc12',
      apiKey: 'k',
      tls: {},
    });
    expect(temporalSettingsFromEnv({ TEMPORAL_CONFIG_FILE: join(dir, 'none.toml') })).toMatchObject({ address: undefined, namespace: 'default', tls: undefined });
    writeFileSync(join(dir, 'temporal.toml'), '[profile.staging]\naddress = "staging.example:7233"\nnamespace = "staging"\n');
    expect(temporalSettingsFromEnv({ TEMPORAL_CONFIG_FILE: join(dir, 'temporal.toml'), TEMPORAL_PROFILE: 'staging' })).toMatchObject({ address: 'staging.example:7233', namespace: 'staging' });
    // The environment wins over the profile, as in Temporal's CLI and SDKs.
    expect(temporalSettingsFromEnv({ TEMPORAL_CONFIG_FILE: join(dir, 'temporal.toml'), TEMPORAL_PROFILE: 'staging', TEMPORAL_NAMESPACE: 'other' })).toMatchObject({ namespace: 'other' });
  });
});

describe("the README's Environment table", () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Environment\n'), readme.indexOf('\n## ', readme.indexOf('\n## Environment\n') + 5));
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [names = '', fallback = ''] = line.slice(1).split(' | ');
      return { names: [...names.matchAll(/`([^`]+)`/g)].map((match) => match[1]!), fallback: fallback.trim() };
    });
  const readmeDefaults = (name: string): string | undefined =>
    (VARIABLES as Record<string, { readme: string }>)[name]?.readme ?? (VARIABLE_PATTERNS as Record<string, { readme: string }>)[name]?.readme;

  it('lists exactly the schema variables', () => {
    const listed = rows.flatMap((row) => row.names).sort();
    expect(listed).toEqual([...Object.keys(VARIABLES), ...Object.keys(VARIABLE_PATTERNS)].sort());
  });

  it('gives each the default the schema documents', () => {
    for (const row of rows) {
      const defaults = row.names.map((name) => readmeDefaults(name) ?? '(not in the schema)');
      const expected = new Set(defaults).size === 1 ? [defaults[0], defaults.join(', ')] : [defaults.join(', ')];
      expect({ names: row.names, fallback: expected.includes(row.fallback) ? 'matches' : row.fallback }).toEqual({ names: row.names, fallback: 'matches' });
    }
  });
});

describe('DEMO_SYNC_EVERY', () => {
  it('is checked where the flow registry reads it', () => {
    const { demoSyncEvery } = jest.requireActual<typeof import('./environment')>('./environment');
    expect(demoSyncEvery({})).toBe('5m');
    expect(demoSyncEvery({ DEMO_SYNC_EVERY: '1m' })).toBe('1m');
    expect(() => demoSyncEvery({ DEMO_SYNC_EVERY: 'often' })).toThrow(/DEMO_SYNC_EVERY: must be a duration/);
  });
});
