export interface CardTableColumn {
  label: string;
  align?: 'right';
  /** Read by screen readers only (e.g. "Actions"). */
  hidden?: boolean;
}

/**
 * The header of a table whose rows turn into cards on phones: shown from the md breakpoint, where
 * the rows become table rows again. Rows label their values with CardLabel below md.
 */
export function CardTableHead({ columns }: { columns: CardTableColumn[] }) {
  return (
    <thead className="hidden border-b border-slate-200 bg-slate-50 text-left text-xs font-medium tracking-wide text-slate-500 uppercase md:table-header-group">
      <tr>
        {columns.map((column) => (
          <th
            key={column.label}
            scope="col"
            className={`px-4 py-3 ${column.align === 'right' ? 'text-right' : ''}`}
          >
            {column.hidden ? <span className="sr-only">{column.label}</span> : column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
