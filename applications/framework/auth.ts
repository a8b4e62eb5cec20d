/**
 * Authentication kinds an application can pick, as plain data typed over the application's
 * credentials. `applyAuth` turns a channel's credentials into headers or query parameters; it runs
 * only inside the activity that sends the request, so credentials never reach a workflow.
 */
import type { OutgoingRequest } from './request';

export type Auth<Credentials> =
  | { kind: 'none' }
  | { kind: 'basic'; username: (credentials: Credentials) => string; password: (credentials: Credentials) => string }
  | { kind: 'api-key'; in: 'header' | 'query'; name: string; key: (credentials: Credentials) => string }
  | { kind: 'bearer'; token: (credentials: Credentials) => string };

export type AuthKind = Auth<unknown>['kind'];

export function applyAuth<C>(auth: Auth<C>, request: OutgoingRequest, credentials: C): void {
  switch (auth.kind) {
    case 'none':
      return;
    case 'basic': {
      const pair = `${auth.username(credentials)}:${auth.password(credentials)}`;
      request.headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      return;
    }
    case 'api-key':
      if (auth.in === 'header') request.headers[auth.name.toLowerCase()] = auth.key(credentials);
      else request.query[auth.name] = auth.key(credentials);
      return;
    case 'bearer':
      request.headers.authorization = `Bearer ${auth.token(credentials)}`;
      return;
  }
}
