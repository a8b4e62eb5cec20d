import type { Application } from '../applications/framework/application';
import type { AuthStatus } from '../store/channel-store';

/** What a new channel of this application needs before it can run. */
export function initialAuthStatus(app: Application): AuthStatus {
  if (app.auth.kind === 'none') return 'not-required';
  return app.auth.kind === 'oauth2-authorization-code' ? 'authorization-required' : 'configured';
}
