import type { Application } from '../applications/framework/application';
import type { AuthStatus } from '../store/channel-store';

/** What a new channel of this application needs before it can run. */
export function initialAuthStatus(app: Application): AuthStatus {
  return app.auth.kind === 'none' ? 'not-required' : 'configured';
}
