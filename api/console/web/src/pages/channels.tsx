/** Channels: each configured account with its state — enabled, auth status, last run and its outcome, next scheduled run. */
import { Link } from 'react-router';
import type { ColumnDef } from '@tanstack/react-table';
import { useLive } from '../live';
import { useSession } from '../session';
import { DataTable } from '../components/data-table';
import { Badge, ErrorNotice, PageTitle, When } from '../components/bits';
import type { Channel, Run, Schedule } from '../types';

interface Row {
  channel: Channel;
  nextRunAt: string | null;
}

/** The channel's newest run, read per row so that an old channel's last run is found too. */
function LastRun({ channelId }: { channelId: string }) {
  const runs = useLive<Run[]>(`/channels/${encodeURIComponent(channelId)}/runs?limit=1`, { every: 15_000 });
  const run = runs.data?.[0];
  if (!run) return <span className="muted">{runs.isLoading ? '…' : 'none yet'}</span>;
  return (
    <>
      <Badge value={run.status} /> {run.flow} <When at={run.closeTime ?? run.startTime} />
    </>
  );
}

const columns: Array<ColumnDef<Row, unknown>> = [
  { header: 'Name', accessorFn: (row) => row.channel.name, cell: ({ row }) => <Link to={`/channels/${row.original.channel.id}`}>{row.original.channel.name}</Link> },
  { header: 'Application', accessorFn: (row) => row.channel.application },
  { header: 'State', accessorFn: (row) => (row.channel.enabled ? 'enabled' : 'disabled'), cell: ({ getValue }) => <Badge value={getValue() as string} /> },
  { header: 'Auth', accessorFn: (row) => row.channel.authStatus, cell: ({ getValue }) => <Badge value={getValue() as string} /> },
  { header: 'Last run', id: 'last-run', enableSorting: false, enableGlobalFilter: false, cell: ({ row }) => <LastRun channelId={row.original.channel.id} /> },
  { header: 'Next run', accessorFn: (row) => row.nextRunAt ?? '', cell: ({ row }) => <When at={row.original.nextRunAt} /> },
];

export function Channels() {
  const { can } = useSession();
  const channels = useLive<Channel[]>('/channels');
  const schedules = useLive<Schedule[]>('/schedules');
  const nextRun = (id: string): string | null =>
    (schedules.data ?? [])
      .filter((schedule) => schedule.channelId === id && !schedule.paused && schedule.nextRunAt)
      .map((schedule) => schedule.nextRunAt!)
      .sort()[0] ?? null;
  return (
    <>
      <PageTitle
        actions={
          can('admin') && (
            <Link className="button primary" to="/channels/new">
              New channel
            </Link>
          )
        }
      >
        Channels
      </PageTitle>
      <ErrorNotice error={channels.error} />
      {channels.data && (
        <DataTable
          label="channels"
          rows={channels.data.map((channel) => ({ channel, nextRunAt: nextRun(channel.id) }))}
          columns={columns}
          rowKey={(row) => row.channel.id}
          initialSort={[{ id: 'Name', desc: false }]}
          empty={<p>No channel yet. {can('admin') ? <Link to="/channels/new">Create one</Link> : 'An admin can create one'} for an application to connect an account.</p>}
        />
      )}
    </>
  );
}
