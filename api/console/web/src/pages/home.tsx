/** Home: what needs attention now (re-authorization, failed runs of the last day, paused schedules), and where to start. */
import { Link } from 'react-router';
import { useLive } from '../live';
import { Badge, ErrorNotice, PageTitle, When } from '../components/bits';
import type { Channel, Run, Schedule } from '../types';

const DAY_MS = 24 * 60 * 60 * 1000;

export function Home() {
  const channels = useLive<Channel[]>('/channels');
  const failed = useLive<Run[]>('/runs?status=failed&limit=200');
  const schedules = useLive<Schedule[]>('/schedules');
  const needAuth = (channels.data ?? []).filter((channel) => channel.authStatus === 'reauthorization-required' || channel.authStatus === 'authorization-required');
  const recentFailures = (failed.data ?? []).filter((run) => Date.now() - new Date(run.closeTime ?? run.startTime).getTime() < DAY_MS);
  const paused = (schedules.data ?? []).filter((schedule) => schedule.paused);
  const name = (id: string | null) => channels.data?.find((channel) => channel.id === id)?.name ?? id ?? '—';
  const loaded = channels.data && failed.data && schedules.data;
  const calm = loaded && needAuth.length + recentFailures.length + paused.length === 0;

  return (
    <>
      <PageTitle>Needs attention</PageTitle>
      <ErrorNotice error={channels.error ?? failed.error ?? schedules.error} />
      {channels.data?.length === 0 && (
        <div className="empty">
          <p>No channel yet. A channel is one account of an application: its credentials, settings and schedules.</p>
          <Link className="button primary" to="/channels/new">
            Create your first channel
          </Link>
        </div>
      )}
      {calm && channels.data!.length > 0 && <p className="all-good">Nothing needs attention: every channel is authorized, no run failed in the last day, no schedule is paused.</p>}

      {needAuth.length > 0 && (
        <section aria-labelledby="attention-auth">
          <h2 id="attention-auth">Channels to authorize ({needAuth.length})</h2>
          <ul className="attention">
            {needAuth.map((channel) => (
              <li key={channel.id}>
                <Link to={`/channels/${channel.id}`}>{channel.name}</Link> <Badge value={channel.authStatus} /> <span className="muted">{channel.application}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {recentFailures.length > 0 && (
        <section aria-labelledby="attention-failed">
          <h2 id="attention-failed">Failed runs in the last day ({recentFailures.length})</h2>
          <ul className="attention">
            {recentFailures.slice(0, 20).map((run) => (
              <li key={`${run.workflowId}/${run.runId}`}>
                <Link to={`/runs?status=failed&flow=${encodeURIComponent(run.flow)}`}>{run.flow}</Link> on {name(run.channelId)} <When at={run.closeTime ?? run.startTime} />
                {run.failure && <span className="failure">{run.failure.message}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {paused.length > 0 && (
        <section aria-labelledby="attention-paused">
          <h2 id="attention-paused">Paused schedules ({paused.length})</h2>
          <ul className="attention">
            {paused.map((schedule) => (
              <li key={schedule.scheduleId}>
                {schedule.flow} on <Link to={`/channels/${schedule.channelId}`}>{name(schedule.channelId)}</Link> <Badge value="paused" />
                {schedule.note && <span className="muted"> {schedule.note}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
