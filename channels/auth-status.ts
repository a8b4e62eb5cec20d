import { authOf, type Application } from '../applications/framework/application';
import type { AuthStatus } from '../store/channel-store';

/** What a new channel of this application, with these credentials, needs before it can run. */
export function initialAuthStatus(app: Application, credentials: unknown): AuthStatus {
  const auth = authOf(app, credentials);
  if (auth.kind === 'none') return 'not-required';
  return auth.kind === 'oauth2-authorization-code' ? 'authorization-required' : 'configured';
}
