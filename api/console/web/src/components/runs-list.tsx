/**
 * Runs from Temporal's visibility, filtered by status, flow and trigger (the filters are the
 * API's, so they reach runs older than this page). Failed runs show why and can be retried,
 * running ones cancelled; a running sync shows its progress; each links to its Web UI page.
 */
import { useState } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { api, seg } from '../api';
import { useLive, useRefresh } from '../live';
import { useSession } from '../session';
import { DataTable } from './data-table';
import { Badge, ErrorNotice, When } from './bits';
import type { Flow, Run, RunProgress, Trigger } from '../types';

const STATUSES = ['running', 'completed', 'failed', 'canceled', 'terminated', 'timed_out', 'continued_as_new'] as const;
const TRIGGERS: Trigger[] = ['polling', 'webhook', 'manual', 'backfill'];
const RETRYABLE = new Set(['FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT']);

export interface RunFilters {
  status: string;
  flow: string;
  trigger: string;
}

function query(channelId: string | undefined, filters: RunFilters): string {
  const params = new URLSearchParams({ limit: '100' });
  if (channelId) params.set('channel', channelId);
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  return `/runs?${params}`;
}

/** Pages, records and the cursor of a running sync, read live from the flow's progress query. */
function Progress({ run }: { run: Run }) {
  const progress = useLive<RunProgress>(`/runs/${seg(run.workflowId)}/progress`, { every: 1000 });
  const data = progress.data?.progress;
  if (!data) return null;
  const { pages, cursor, ...counts } = data;
  return (
    <span className="progress" aria-label={`Progress of ${run.flow}`}>
      {pages} pages
      {Object.entries(counts).map(([name, value]) => (
        <span key={name}>
          {' · '}
          {value} {name}
        </span>
      ))}
      {cursor !== null && cursor !== undefined && (
        <span className="muted">
          {' · cursor '}
          <code>{String(cursor)}</code>
        </span>
      )}
    </span>
  );
}

export function RunsList({ channelId, initial }: { channelId?: string; initial?: Partial<RunFilters> }) {
  const { can } = useSession();
  const refresh = useRefresh();
  const [filters, setFilters] = useState<RunFilters>({ status: '', flow: '', trigger: '', ...initial });
  const runs = useLive<Run[]>(query(channelId, filters), { every: 2000 });
  const flows = useLive<Flow[]>('/flows', { every: false });
  const [error, setError] = useState<unknown>(null);

  const act = (verb: 'retry' | 'cancel', run: Run) => {
    setError(null);
    api('POST', `/runs/${seg(run.workflowId)}/${verb}`)
      .catch(setError)
      .finally(() => void refresh());
  };

  const columns: Array<ColumnDef<Run, unknown>> = [
    { header: 'Status', accessorFn: (run) => run.status, cell: ({ getValue }) => <Badge value={getValue() as string} /> },
    { header: 'Flow', accessorFn: (run) => run.flow },
    ...(channelId ? [] : [{ header: 'Channel', accessorFn: (run: Run) => run.channelId ?? '—' }]),
    { header: 'Trigger', accessorFn: (run) => run.trigger ?? '—' },
    { header: 'Started', accessorFn: (run) => run.startTime, cell: ({ row }) => <When at={row.original.startTime} /> },
    {
      header: 'Details',
      id: 'details',
      enableSorting: false,
      accessorFn: (run) => run.failure?.message ?? '',
      cell: ({ row }) => (row.original.status === 'RUNNING' ? <Progress run={row.original} /> : row.original.failure ? <span className="failure">{row.original.failure.message}</span> : null),
    },
    {
      header: 'Actions',
      id: 'actions',
      enableSorting: false,
      enableGlobalFilter: false,
      cell: ({ row }) => (
        <span className="row-actions">
          {can('operate') && RETRYABLE.has(row.original.status) && (
            <button type="button" onClick={() => act('retry', row.original)} aria-label={`Retry ${row.original.workflowId}`}>
              Retry
            </button>
          )}
          {can('operate') && row.original.status === 'RUNNING' && (
            <button type="button" onClick={() => act('cancel', row.original)} aria-label={`Cancel ${row.original.workflowId}`}>
              Cancel
            </button>
          )}
          {row.original.webUiUrl && (
            <a href={row.original.webUiUrl} target="_blank" rel="noreferrer">
              Web UI
            </a>
          )}
        </span>
      ),
    },
  ];

  const select = (name: keyof RunFilters, label: string, options: readonly string[]) => (
    <label>
      {label}{' '}
      <select value={filters[name]} onChange={(event) => setFilters({ ...filters, [name]: event.target.value })}>
        <option value="">any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <>
      <ErrorNotice error={error ?? runs.error} />
      <DataTable
        label="runs"
        rows={runs.data ?? []}
        columns={columns}
        rowKey={(run) => `${run.workflowId}/${run.runId}`}
        toolbar={
          <>
            {select('status', 'Status', STATUSES)}
            {select(
              'flow',
              'Flow',
              (flows.data ?? []).map((flow) => flow.name),
            )}
            {select('trigger', 'Trigger', TRIGGERS)}
          </>
        }
        empty={
          runs.isLoading ? (
            <p>Loading runs…</p>
          ) : (
            <p>No run{filters.status || filters.flow || filters.trigger ? ' matches these filters' : ' yet'}. Runs appear here when a schedule ticks, a webhook arrives, or you sync a channel.</p>
          )
        }
      />
    </>
  );
}
