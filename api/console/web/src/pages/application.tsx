/** One application: its auth, its versions, and each action with its description and input schema. */
import { Link, useParams } from 'react-router';
import { useLive } from '../live';
import { useSession } from '../session';
import { ErrorNotice, PageTitle } from '../components/bits';
import { parseVersion } from '../versions';
import { authLabel } from './applications';
import type { Application, ApplicationDetail } from '../types';

export function ApplicationPage() {
  const { name = '' } = useParams();
  const { can } = useSession();
  const detail = useLive<ApplicationDetail>(`/applications/${encodeURIComponent(name)}`, { every: false });
  const all = useLive<Application[]>('/applications', { every: 10_000 });
  const { slug } = parseVersion(name);
  const versions = (all.data ?? [])
    .map((app) => ({ app, ...parseVersion(app.name) }))
    .filter((entry) => entry.slug === slug && entry.version !== null)
    .sort((a, b) => b.version! - a.version!);
  const app = detail.data;
  return (
    <>
      <PageTitle
        actions={
          app &&
          can('admin') && (
            <Link className="button primary" to={`/channels/new?application=${encodeURIComponent(app.name)}`}>
              New channel
            </Link>
          )
        }
      >
        {app?.title ?? name}
      </PageTitle>
      <ErrorNotice error={detail.error} />
      {app && (
        <>
          <dl className="facts">
            <dt>Name</dt>
            <dd>
              <code>{app.name}</code>
            </dd>
            <dt>Auth</dt>
            <dd>{authLabel(app)}</dd>
          </dl>
          {versions.length > 0 && (
            <section aria-labelledby="versions">
              <h2 id="versions">Versions</h2>
              <ul className="inline-list">
                {versions.map((entry) => (
                  <li key={entry.app.name}>
                    {entry.app.name === name ? <strong>v{entry.version} (this one)</strong> : <Link to={`/applications/${encodeURIComponent(entry.app.name)}`}>v{entry.version}</Link>}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="actions">
            <h2 id="actions">Actions ({app.actions.length})</h2>
            {app.actions.length === 0 && <p className="empty">This application has no actions.</p>}
            {app.actions.map((action) => (
              <details key={action.name} className="action">
                <summary>
                  <code>{action.name}</code> <span className="muted">{action.description}</span>
                </summary>
                <h3>Input schema</h3>
                <pre>{JSON.stringify(action.inputSchema, null, 2)}</pre>
                {can('operate') && <Link to={`/try?application=${encodeURIComponent(app.name)}&action=${encodeURIComponent(action.name)}`}>Try this action</Link>}
              </details>
            ))}
          </section>
        </>
      )}
    </>
  );
}
