import type { EnvironmentValues } from './config/environment';

/**
 * The loopback services the egress policy lets the system's connectors reach besides EGRESS_ALLOW:
 * the demo's, when it runs, and nothing else on this machine. `npm start` gives it to its worker;
 * `npm run dryrun` uses it too, so a connector tried from the shell reaches what the worker's would.
 */
export function systemEgressAllow(config: Pick<EnvironmentValues, 'DEMO' | 'EGRESS_ALLOW' | 'DEMO_CRM_PORT' | 'DEMO_MAILER_PORT'>): string | undefined {
  if (!config.DEMO) return config.EGRESS_ALLOW;
  return [config.EGRESS_ALLOW, `127.0.0.1:${config.DEMO_CRM_PORT}`, `127.0.0.1:${config.DEMO_MAILER_PORT}`].filter(Boolean).join(',');
}
