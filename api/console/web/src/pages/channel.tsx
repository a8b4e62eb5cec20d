/** One channel: its state and schedules, connecting it by OAuth, syncing it, its webhook URLs and its runs. */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, seg } from '../api';
import { useLive, useRefresh } from '../live';
import { useSession } from '../session';
import { Badge, ConfirmButton, CopyButton, ErrorNotice, Notice, PageTitle, When } from '../components/bits';
import { RunsList } from '../components/runs-list';
import type { Application, Channel, Flow, Schedule } from '../types';

const usesOAuthConsent = (app: Application | undefined): boolean =>
  !!app && (app.auth.kind === 'oauth2-authorization-code' || !!app.auth.methods?.some((method) => method.kind === 'oauth2-authorization-code'));

export function ChannelPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const { can } = useSession();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const channel = useLive<Channel>(`/channels/${seg(id)}`);
  const schedules = useLive<Schedule[]>(`/channels/${seg(id)}/schedules`);
  const application = useLive<Application[]>('/applications', { every: false }).data?.find((app) => app.name === channel.data?.application);
  const polling = (useLive<Flow[]>('/flows', { every: false }).data ?? []).filter((flow) => flow.trigger.type === 'polling' && flow.application === channel.data?.application);
  const [message, setMessage] = useState<string | null>(search.get('connected') === id ? 'Connected: the account authorized this channel.' : null);
  const [error, setError] = useState<unknown>(null);

  /** Runs a change, then shows its outcome and reads everything again. */
  const act = async (what: () => Promise<string | void>) => {
    setError(null);
    setMessage(null);
    try {
      const done = await what();
      if (done) setMessage(done);
    } catch (err) {
      setError(err);
    }
    await refresh();
  };

  const data = channel.data;
  if (!data) return <ErrorNotice error={channel.error} />;
  const path = `/channels/${seg(id)}`;
  return (
    <>
      <PageTitle
        actions={
          can('admin') && (
            <>
              <Link className="button" to={`${path}/edit`}>
                Edit
              </Link>
              <button type="button" onClick={() => act(async () => void (await api('PATCH', path, { enabled: !data.enabled })))}>
                {data.enabled ? 'Disable' : 'Enable'}
              </button>
              <ConfirmButton
                danger
                label="Delete"
                question={`Delete channel "${data.name}"? Its schedules are deleted too; its runs stay in Temporal.`}
                confirm="Delete channel"
                onConfirm={() =>
                  act(async () => {
                    await api('DELETE', path);
                    navigate('/channels');
                  })
                }
              />
            </>
          )
        }
      >
        {data.name}
      </PageTitle>
      {message && <Notice tone="good">{message}</Notice>}
      <ErrorNotice error={error} />
      <dl className="facts">
        <dt>Application</dt>
        <dd>
          <Link to={`/applications/${encodeURIComponent(data.application)}`}>{data.application}</Link>
        </dd>
        <dt>State</dt>
        <dd>
          <Badge value={data.enabled ? 'enabled' : 'disabled'} />
        </dd>
        <dt>Auth</dt>
        <dd>
          <Badge value={data.authStatus} />
        </dd>
        <dt>Id</dt>
        <dd>
          <code>{data.id}</code>
        </dd>
      </dl>

      {usesOAuthConsent(application) && can('operate') && <OAuthConnect channel={data} onError={setError} />}
      {polling.length > 0 && can('operate') && <SyncControls path={path} act={act} />}

      {(schedules.data?.length ?? 0) > 0 && (
        <section aria-labelledby="schedules">
          <h2 id="schedules">Schedules</h2>
          <ul className="attention">
            {schedules.data!.map((schedule) => (
              <li key={schedule.scheduleId}>
                <strong>{schedule.flow}</strong> {schedule.paused ? <Badge value="paused" /> : <Badge value="enabled" label="active" />} next <When at={schedule.paused ? null : schedule.nextRunAt} />,
                last <When at={schedule.lastRunAt} />
              </li>
            ))}
          </ul>
        </section>
      )}

      {data.webhooks.length > 0 && (
        <section aria-labelledby="webhooks">
          <h2 id="webhooks">Webhook URLs</h2>
          <p className="muted">Give these to the service as the address it delivers events to.</p>
          <ul className="plain">
            {data.webhooks.map((hook) => (
              <li key={hook.flow}>
                <span className="label">{hook.flow}</span>
                <CopyButton label={`Webhook URL of ${hook.flow}`} value={new URL(hook.url, window.location.origin).toString()} />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="channel-runs">
        <h2 id="channel-runs">Runs</h2>
        <RunsList channelId={data.id} />
      </section>
    </>
  );
}

/** The account's owner consents at the provider; the callback brings this browser back here, connected. */
function OAuthConnect({ channel, onError }: { channel: Channel; onError(error: unknown): void }) {
  const [link, setLink] = useState<string | null>(null);
  const connectUrl = (returnTo?: string) => api<{ url: string }>('POST', `/channels/${seg(channel.id)}/oauth/connect`, returnTo ? { returnTo } : undefined).then((answer) => answer.url);
  return (
    <section aria-labelledby="oauth">
      <h2 id="oauth">Authorization</h2>
      <p className="muted">
        {channel.authStatus === 'authorized' ? 'Connected. Connect again to authorize another account or renew the consent.' : 'This channel needs the account owner’s consent at the provider.'}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() =>
            connectUrl(`/console/channels/${channel.id}`)
              .then((url) => window.location.assign(url))
              .catch(onError)
          }
        >
          {channel.authStatus === 'authorized' ? 'Reconnect' : 'Connect'}
        </button>
        <button type="button" onClick={() => connectUrl().then(setLink).catch(onError)}>
          Copy connect link
        </button>
      </div>
      {link && (
        <p>
          Send this link to the account’s owner. It opens once, within 10 minutes: <CopyButton label="Connect link" value={link} />
        </p>
      )}
    </section>
  );
}

function SyncControls({ path, act }: { path: string; act(what: () => Promise<string | void>): Promise<void> }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const sync = (full: boolean) =>
    act(async () => {
      const started = await api<{ workflows: unknown[] }>('POST', `${path}/sync`, { full });
      return `${full ? 'Full resync' : 'Sync'} started: ${started.workflows.length} run(s).`;
    });
  const backfill = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const started = await api<{ schedules: unknown[] }>('POST', `${path}/backfill`, { from: new Date(from).toISOString(), to: new Date(to).toISOString() });
      return `Backfill queued on ${started.schedules.length} schedule(s).`;
    });
  };
  return (
    <section aria-labelledby="sync">
      <h2 id="sync">Sync</h2>
      <div className="actions">
        <button type="button" className="primary" onClick={() => sync(false)}>
          Sync now
        </button>
        <ConfirmButton label="Full resync" question="Read everything again from the beginning, ignoring the stored cursor?" confirm="Start full resync" onConfirm={() => sync(true)} />
      </div>
      <form className="inline-form" onSubmit={backfill} aria-label="Backfill">
        <label>
          From <input type="datetime-local" required value={from} onChange={(event) => setFrom(event.target.value)} />
        </label>
        <label>
          To <input type="datetime-local" required value={to} onChange={(event) => setTo(event.target.value)} />
        </label>
        <button type="submit">Backfill</button>
      </form>
    </section>
  );
}
