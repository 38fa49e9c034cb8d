'use client';

import { startTransition, useActionState, useState, type ChangeEvent } from 'react';
import { importTokensAction, previewTokenImportAction } from '@/lib/actions/drivers';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { submitWithoutReset } from '@/components/ui/form-state';

const maxFileBytes = 1_048_576;
const actionLabels = { create: 'Add', update: 'Update', skip: 'Skip' } as const;

/** "Import CSV" on the tokens page: choose a file, see what each row would do, then import all or nothing. */
export function TokenImport() {
  const [open, setOpen] = useState(false);
  // A new key on each opening starts from an empty dialog (the action states live in the body).
  const [opening, setOpening] = useState(0);
  return (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          setOpening((n) => n + 1);
          setOpen(true);
        }}
      >
        Import CSV
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Import tokens from CSV">
        <ImportBody key={opening} onClose={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function ImportBody({ onClose }: { onClose: () => void }) {
  const [preview, previewAction, previewPending] = useActionState(previewTokenImportAction, null);
  const [result, importAction, importPending] = useActionState(importTokensAction, null);
  const [csv, setCsv] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    setCsv('');
    setFileError(null);
    if (!file) return;
    if (file.size > maxFileBytes) {
      setFileError('The file is larger than 1 MB: split it into several files');
      return;
    }
    const text = await file.text();
    setCsv(text);
    const formData = new FormData();
    formData.set('csv', text);
    startTransition(() => previewAction(formData));
  };

  if (result?.ok) {
    return (
      <div className="space-y-4">
        <Alert tone="success">{result.message}</Alert>
        <div className="flex justify-end">
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    );
  }

  const ready = csv !== '' && !previewPending && preview?.ok === true;
  const rows = ready ? preview.data.rows : [];
  const count = ready ? preview.data.creates + preview.data.updates : 0;
  const hasErrors = ready && preview.data.errorCount > 0;

  return (
    <form onSubmit={submitWithoutReset(importAction)} className="space-y-4" noValidate>
      <p className="text-sm text-slate-600">
        The first row names the columns; only <code>id_token</code> is required. Optional: <code>kind</code>{' '}
        (rfid, app, key_fob), <code>ocpp_type</code>, <code>status</code> (active or blocked, with a{' '}
        <code>blocked_reason</code>), <code>expires_at</code> (e.g. 2026-12-31T23:59:00Z),{' '}
        <code>parent_id_tag</code>, <code>label</code>, <code>driver</code> (a driver&apos;s name; a new name
        creates the driver) and <code>driver_email</code>. A file from “Export CSV” fits. Tokens already
        registered are updated with the fields the row fills in. Nothing is imported while any row has an
        error.
      </p>
      <label className="block text-sm font-medium text-slate-700">
        CSV file
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => void chooseFile(event)}
          className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-200"
        />
      </label>
      <input type="hidden" name="csv" value={csv} />
      {fileError ? <Alert tone="error">{fileError}</Alert> : null}
      {csv && preview && !preview.ok && !previewPending ? (
        <Alert tone="error">{preview.fieldErrors?.csv ?? preview.error}</Alert>
      ) : null}
      {result && !result.ok ? <Alert tone="error">{result.fieldErrors?.csv ?? result.error}</Alert> : null}
      {previewPending ? <p className="text-sm text-slate-500">Checking the file…</p> : null}
      {ready ? (
        <>
          <p className="text-sm" role="status">
            {preview.data.creates} to add, {preview.data.updates} to update
            {hasErrors ? (
              <span className="font-medium text-rose-700">
                , {preview.data.errorCount} {preview.data.errorCount === 1 ? 'row' : 'rows'} with errors
              </span>
            ) : null}
          </p>
          <div className="max-h-80 overflow-auto rounded-md border border-slate-200">
            <table className="w-full text-sm">
              <thead className="sticky top-0 bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-2 py-1.5 font-medium">Line</th>
                  <th className="px-2 py-1.5 font-medium">Token</th>
                  <th className="px-2 py-1.5 font-medium">Driver</th>
                  <th className="px-2 py-1.5 font-medium">Action</th>
                  <th className="px-2 py-1.5 font-medium">Errors</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr
                    key={row.line}
                    data-testid="import-row"
                    className={row.errors.length > 0 ? 'bg-rose-50/50' : undefined}
                  >
                    <td className="px-2 py-1.5 tabular-nums">{row.line === 0 ? 'File' : row.line}</td>
                    <td className="px-2 py-1.5 font-mono text-xs">{row.idToken}</td>
                    <td className="px-2 py-1.5">{row.driver ?? ''}</td>
                    <td className="px-2 py-1.5">{actionLabels[row.action]}</td>
                    <td className="px-2 py-1.5 text-rose-700">
                      {row.errors.map((error) => (
                        <div key={error}>{error}</div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={!ready || hasErrors || count === 0 || importPending}>
          {importPending ? 'Importing…' : `Import ${count} ${count === 1 ? 'token' : 'tokens'}`}
        </Button>
      </div>
    </form>
  );
}
