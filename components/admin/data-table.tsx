"use client";

import {
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { useId, useState, type ReactNode } from "react";

export type DataTableColumn = {
  id: string;
  header: string;
  /** Sorts the rows of the current page in the browser; the server's order is the default. */
  sortable?: boolean;
  /** A header only screen readers need (an actions column). */
  hiddenHeader?: boolean;
};

export type DataTableRow = {
  id: string;
  /** `data-*` hooks for tests and tooling, e.g. `{ "data-channel": hubId }`. */
  attributes?: Record<`data-${string}`, string>;
  cells: Record<string, { content: ReactNode; sortValue?: string | number }>;
};

const ARIA_SORT = { asc: "ascending", desc: "descending" } as const;

/** A console table: server-rendered cells, with column sorting of the page in hand. */
export function DataTable({
  caption,
  columns,
  rows,
}: {
  caption: string;
  columns: DataTableColumn[];
  rows: DataTableRow[];
}) {
  const captionId = useId();
  const [sorting, setSorting] = useState<SortingState>([]);
  const columnDefs: ColumnDef<DataTableRow>[] = columns.map((column) => ({
    id: column.id,
    accessorFn: (row) => row.cells[column.id]?.sortValue ?? "",
    enableSorting: column.sortable ?? false,
  }));
  // Flagged only for the React Compiler (not enabled here), which must not memoize TanStack Table's
  // fresh-per-render functions; it would skip this component, which is what the table needs.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns: columnDefs,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });

  return (
    <div
      role="region"
      aria-labelledby={captionId}
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-slate-200 bg-white"
    >
      <table className="w-full text-left text-sm">
        <caption id={captionId} className="sr-only">
          {caption}
        </caption>
        <thead className="bg-slate-50 text-xs uppercase text-slate-600">
          <tr>
            {table.getFlatHeaders().map((header, index) => {
              const column = columns[index]!;
              const sorted = header.column.getIsSorted();
              return (
                <th
                  key={header.id}
                  scope="col"
                  className="px-4 py-3 whitespace-nowrap"
                  aria-sort={sorted ? ARIA_SORT[sorted] : column.sortable ? "none" : undefined}
                >
                  {column.sortable ? (
                    <button
                      type="button"
                      onClick={header.column.getToggleSortingHandler()}
                      className="inline-flex items-center gap-1 uppercase hover:text-slate-900"
                    >
                      {column.header}
                      <span aria-hidden="true">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                    </button>
                  ) : column.hiddenHeader ? (
                    <span className="sr-only">{column.header}</span>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} {...row.original.attributes}>
              {columns.map((column) => (
                <td key={column.id} className="px-4 py-3 align-top">
                  {row.original.cells[column.id]?.content}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="px-4 py-6 text-center text-slate-600">
                Nothing matches these filters.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
