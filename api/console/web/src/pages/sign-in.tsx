/** Sign-in: an API key (from `npm run api-key` or POST /api-keys), checked by the API and kept for this tab only. */
import { useState, type FormEvent } from 'react';
import { useSession } from '../session';
import { ErrorNotice } from '../components/bits';

export function SignIn() {
  const { signIn } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to the console</h1>
        <p className="muted">Use an API key. It stays in this tab until you sign out or close it; it is never put in a URL.</p>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="current-password" required value={key} onChange={(event) => setKey(event.target.value)} />
        <ErrorNotice error={error} />
        <button type="submit" className="primary" disabled={busy || !key.trim()}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="muted small">
          No key yet? The first <code>npm start</code> prints an admin key and keeps it in <code>.data/api-key</code>; <code>npm run api-key -- create --name me --scope operate</code> makes others.
        </p>
      </form>
    </main>
  );
}
