/**
 * With ADMIN_PORT, one Express app serves two listeners: the public one (webhooks, OAuth, health,
 * docs) and the admin one (everything). Requests that came in on the admin listener are marked.
 */
import type { IncomingMessage } from 'node:http';

const ADMIN = Symbol('admin-listener');

export function markAdminListener(req: IncomingMessage): void {
  (req as IncomingMessage & { [ADMIN]?: true })[ADMIN] = true;
}

export function cameInOnAdminListener(req: IncomingMessage): boolean {
  return (req as IncomingMessage & { [ADMIN]?: true })[ADMIN] === true;
}
