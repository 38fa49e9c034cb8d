'use client';

import { importTokensAction, previewTokenImportAction } from '@/lib/actions/drivers';
import type { ImportPreviewRow } from '@/lib/services/token-import';
import { CsvImport, type PreviewColumn } from './csv-import';

const columns: PreviewColumn<ImportPreviewRow>[] = [
  { header: 'Token', cell: (row) => row.idToken, className: 'font-mono text-xs' },
  { header: 'Driver', cell: (row) => row.driver ?? '' },
];

/** "Import CSV" on the tokens page: choose a file, see what each row would do, then import all or nothing. */
export function TokenImport() {
  return (
    <CsvImport
      title="Import tokens from CSV"
      noun={['token', 'tokens']}
      columns={columns}
      previewAction={previewTokenImportAction}
      importAction={importTokensAction}
      help={
        <>
          The first row names the columns; only <code>id_token</code> is required. Optional: <code>kind</code>{' '}
          (rfid, app, key_fob), <code>ocpp_type</code>, <code>status</code> (active or blocked, with a{' '}
          <code>blocked_reason</code>), <code>expires_at</code> (e.g. 2026-12-31T23:59:00Z),{' '}
          <code>parent_id_tag</code>, <code>label</code>, <code>driver</code> (a driver&apos;s name; a new
          name creates the driver) and <code>driver_email</code>. A file from “Export CSV” fits. Tokens
          already registered are updated with the fields the row fills in. Nothing is imported while any row
          has an error.
        </>
      }
    />
  );
}
