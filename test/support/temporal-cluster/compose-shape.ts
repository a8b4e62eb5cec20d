/**
 * What docker-compose.temporal.yml says a Temporal deployment is: which services run as processes
 * of their own (each compose service's TEMPORAL_SERVICES) and the dynamic config they all read. The
 * local cluster (./cluster.ts) is started from it, so the two cannot describe different shapes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../../runtime/temporal-cli';

export const TEMPORAL_ROLES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalRole = (typeof TEMPORAL_ROLES)[number];

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string> }>;
  configs: Record<string, { content: string }>;
}

export function composeShape(file = join(projectRoot, 'docker-compose.temporal.yml')): { roles: TemporalRole[]; dynamicConfig: string } {
  const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
  const roles = Object.values(compose.services).flatMap((service) => service.environment?.TEMPORAL_SERVICES?.split(',') ?? []);
  const unknown = roles.filter((role) => !(TEMPORAL_ROLES as readonly string[]).includes(role));
  if (unknown.length) throw new Error(`${file}: unknown Temporal services ${unknown.join(', ')}`);
  // Frontend first: the others reach the cluster through it.
  const ordered = TEMPORAL_ROLES.filter((role) => roles.includes(role));
  const dynamicConfig = compose.configs['temporal-dynamic-config']?.content;
  if (!dynamicConfig) throw new Error(`${file}: configs.temporal-dynamic-config.content is missing`);
  return { roles: ordered, dynamicConfig };
}
