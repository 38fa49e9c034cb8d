'use client';

import { importDriversAction, previewDriverImportAction } from '@/lib/actions/drivers';
import type { DriverImportRow } from '@/lib/services/driver-import';
import { CsvImport, type PreviewColumn } from './csv-import';

const columns: PreviewColumn<DriverImportRow>[] = [
  { header: 'Name', cell: (row) => row.name },
  { header: 'Email', cell: (row) => row.email ?? '', className: 'break-all' },
  { header: 'Groups', cell: (row) => row.groups.join(', ') },
];

/** "Import CSV" on the drivers page: choose a file, see what each row would do, then import all or nothing. */
export function DriverImport() {
  return (
    <CsvImport
      title="Import drivers from CSV"
      noun={['driver', 'drivers']}
      columns={columns}
      previewAction={previewDriverImportAction}
      importAction={importDriversAction}
      help={
        <>
          The first row names the columns; only <code>name</code> is required. Optional: <code>email</code>,{' '}
          <code>phone</code>, <code>company</code> and <code>groups</code> (names of existing groups,
          separated by “;”). A file from “Export CSV” fits; its <code>tokens</code> column is not read (tokens
          import on the Tokens page). A row whose email belongs to a driver updates that driver, and a row
          without an email updates the one driver without an email who has its name: blank fields keep their
          values, and the driver joins the groups listed and stays in the others. Every other row adds a
          driver. Nothing is imported while any row has an error.
        </>
      }
    />
  );
}
