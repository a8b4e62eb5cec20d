/** A table that sorts (click a header) and filters (the search box), with TanStack Table doing both. */
import { useState, type ReactNode } from 'react';
import { flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';

interface Props<T> {
  label: string;
  rows: T[];
  columns: Array<ColumnDef<T, unknown>>;
  rowKey(row: T): string;
  empty: ReactNode;
  initialSort?: SortingState;
  /** Filters beside the search box (selects that change what is fetched). */
  toolbar?: ReactNode;
}

export function DataTable<T>({ label, rows, columns, rowKey, empty, initialSort = [], toolbar }: Props<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSort);
  const [filter, setFilter] = useState('');
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setFilter,
    getRowId: rowKey,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  const shown = table.getRowModel().rows;
  return (
    <div className="table-block">
      <div className="toolbar">
        <label>
          <span className="visually-hidden">Search {label}</span>
          <input type="search" placeholder={`Search ${label}`} value={filter} onChange={(event) => setFilter(event.target.value)} />
        </label>
        {toolbar}
      </div>
      {rows.length === 0 ? (
        <div className="empty">{empty}</div>
      ) : (
        <div className="table-scroll">
          <table aria-label={label}>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => {
                    const sorted = header.column.getIsSorted();
                    const content = flexRender(header.column.columnDef.header, header.getContext());
                    return (
                      <th key={header.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                        {header.column.getCanSort() ? (
                          <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                            {content}
                            <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                          </button>
                        ) : (
                          content
                        )}
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={row.id}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} data-label={typeof cell.column.columnDef.header === 'string' ? cell.column.columnDef.header : undefined}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 && <p className="empty">Nothing matches “{filter}”.</p>}
        </div>
      )}
    </div>
  );
}
