/**
 * Where the API listens: PORT/HOST, and with ADMIN_PORT (ADMIN_HOST, default 127.0.0.1) a second
 * listener for the management routes, so a deployment can expose the public one (webhooks, OAuth,
 * health, docs) and firewall the other. Both serve the one Express app; the admin listener marks
 * its requests, and the guard serves management routes only to those.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { markAdminListener } from './auth/surface';
import type { Env } from '../runtime/config/environment';

export interface Listeners {
  port: number;
  host: string;
  adminPort?: number;
  adminHost?: string;
}

export function listenersFromEnv(env: Env): Listeners {
  const port = portOf('PORT', env.PORT) ?? 3000;
  const adminPort = portOf('ADMIN_PORT', env.ADMIN_PORT);
  return { port, host: env.HOST ?? '127.0.0.1', ...(adminPort !== undefined ? { adminPort, adminHost: env.ADMIN_HOST ?? '127.0.0.1' } : {}) };
}

/** Listens on both; resolves with their URLs. Closing the app closes the admin listener too. */
export async function listen(app: NestExpressApplication, listeners: Listeners): Promise<{ url: string; adminUrl?: string }> {
  await app.listen(listeners.port, listeners.host);
  const url = urlOf(app.getHttpServer() as Server, listeners.host);
  if (listeners.adminPort === undefined) return { url };
  const express = app.getHttpAdapter().getInstance() as (req: unknown, res: unknown) => void;
  const admin = createServer((req, res) => {
    markAdminListener(req);
    express(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    admin.once('error', reject);
    admin.listen(listeners.adminPort, listeners.adminHost, () => resolve());
  });
  (app.getHttpServer() as Server).once('close', () => {
    admin.close();
    admin.closeIdleConnections();
  });
  return { url, adminUrl: urlOf(admin, listeners.adminHost ?? '127.0.0.1') };
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function portOf(variable: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${variable} must be a port number (0–65535), not "${value}"`);
  return port;
}
