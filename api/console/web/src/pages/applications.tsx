/** Applications: every remote service the engine can talk to, one row per application (imported ones with their versions). */
import { Link } from 'react-router';
import type { ColumnDef } from '@tanstack/react-table';
import { useLive } from '../live';
import { useSession } from '../session';
import { DataTable } from '../components/data-table';
import { ErrorNotice, PageTitle } from '../components/bits';
import { parseVersion } from '../versions';
import type { Application } from '../types';

interface Row {
  slug: string;
  latest: Application;
  versions: number[];
}

const columns: Array<ColumnDef<Row, unknown>> = [
  { header: 'Application', accessorFn: (row) => row.latest.title, cell: ({ row }) => <Link to={`/applications/${encodeURIComponent(row.original.latest.name)}`}>{row.original.latest.title}</Link> },
  { header: 'Name', accessorFn: (row) => row.slug },
  { header: 'Auth', accessorFn: (row) => authLabel(row.latest) },
  { header: 'Versions', accessorFn: (row) => (row.versions.length ? row.versions.map((version) => `v${version}`).join(', ') : 'code'), enableSorting: false },
];

export function authLabel(app: Application): string {
  return app.auth.kind === 'one-of' ? `one of ${app.auth.methods?.map((method) => method.kind).join(', ')}` : app.auth.kind;
}

/** One row per slug, showing its newest version. */
function rowsOf(applications: Application[]): Row[] {
  const bySlug = new Map<string, Row>();
  for (const app of applications) {
    const { slug, version } = parseVersion(app.name);
    const row = bySlug.get(slug) ?? { slug, latest: app, versions: [] };
    if (version !== null) {
      row.versions.push(version);
      if (version >= Math.max(...row.versions)) row.latest = app;
    }
    bySlug.set(slug, row);
  }
  return [...bySlug.values()].map((row) => ({ ...row, versions: row.versions.sort((a, b) => a - b) }));
}

export function Applications() {
  const { can } = useSession();
  const applications = useLive<Application[]>('/applications', { every: 10_000 });
  return (
    <>
      <PageTitle
        actions={
          can('admin') && (
            <Link className="button primary" to="/applications/import">
              Import OpenAPI
            </Link>
          )
        }
      >
        Applications
      </PageTitle>
      <ErrorNotice error={applications.error} />
      {applications.data && (
        <DataTable
          label="applications"
          rows={rowsOf(applications.data)}
          columns={columns}
          rowKey={(row) => row.slug}
          initialSort={[{ id: 'Application', desc: false }]}
          empty={<p>No application yet. Add one in code under applications/, or import an OpenAPI document.</p>}
        />
      )}
    </>
  );
}
