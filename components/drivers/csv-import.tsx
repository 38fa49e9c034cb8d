'use client';

import { startTransition, useActionState, useState, type ChangeEvent, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';
import type { ImportPreviewOf, ImportRow } from '@/lib/services/csv-import';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { submitWithoutReset } from '@/components/ui/form-state';

// The services' limit (maxImportChars), checked here first so a big file is not sent at all.
const maxFileBytes = 1_048_576;
const actionLabels = { create: 'Create', update: 'Update', skip: 'Skip' } as const;

type FormAction<T> = (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

/** A column of the preview table, between the line number and the action. */
export interface PreviewColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  className?: string;
}

interface CsvImportProps<Row extends ImportRow, Result> {
  /** The dialog's title, e.g. "Import tokens from CSV". */
  title: string;
  /** What one row writes, singular and plural, for the import button: ['token', 'tokens']. */
  noun: readonly [string, string];
  /** The columns the file may have, above the file field. */
  help: ReactNode;
  columns: readonly PreviewColumn<Row>[];
  previewAction: FormAction<ImportPreviewOf<Row>>;
  importAction: FormAction<Result>;
}

/**
 * "Import CSV": choose a file, see what each row would do with its errors beside it, then import all
 * or nothing. The file's text goes to the preview action as soon as it is chosen, and to the import
 * action only when the preview found no error.
 */
export function CsvImport<Row extends ImportRow, Result>(props: CsvImportProps<Row, Result>) {
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
      <Dialog open={open} onClose={() => setOpen(false)} title={props.title}>
        <ImportBody key={opening} {...props} onClose={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function ImportBody<Row extends ImportRow, Result>({
  noun,
  help,
  columns,
  previewAction: runPreview,
  importAction: runImport,
  onClose,
}: CsvImportProps<Row, Result> & { onClose: () => void }) {
  const [preview, previewAction, previewPending] = useActionState(runPreview, null);
  const [result, importAction, importPending] = useActionState(runImport, null);
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
  const errorCount = ready ? preview.data.errorCount : 0;

  return (
    <form onSubmit={submitWithoutReset(importAction)} className="space-y-4" noValidate>
      <p className="text-sm text-slate-600">{help}</p>
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
          <p className="text-sm" role="status" data-testid="import-summary">
            {preview.data.creates} to create, {preview.data.updates} to update,{' '}
            {errorCount > 0 ? (
              <span className="font-medium text-rose-700">
                {errorCount} {errorCount === 1 ? 'error' : 'errors'}
              </span>
            ) : (
              'no errors'
            )}
          </p>
          {/* Scrolls inside its own box, both ways, so a long or wide file never widens the page. */}
          <div className="max-h-80 overflow-auto rounded-md border border-slate-200">
            <table className="w-full text-sm">
              <thead className="sticky top-0 bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-2 py-1.5 font-medium">Line</th>
                  {columns.map((column) => (
                    <th key={column.header} className="px-2 py-1.5 font-medium">
                      {column.header}
                    </th>
                  ))}
                  <th className="px-2 py-1.5 font-medium">Action</th>
                  <th className="px-2 py-1.5 font-medium">Errors</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => {
                  const failed = row.errors.length > 0;
                  return (
                    <tr
                      key={row.line}
                      data-testid="import-row"
                      data-line={row.line}
                      data-action={failed ? 'error' : row.action}
                      className={failed ? 'bg-rose-50/50' : undefined}
                    >
                      <td className="px-2 py-1.5 tabular-nums">{row.line === 0 ? 'File' : row.line}</td>
                      {columns.map((column) => (
                        <td key={column.header} className={`px-2 py-1.5 ${column.className ?? ''}`}>
                          {column.cell(row)}
                        </td>
                      ))}
                      <td className={`px-2 py-1.5 ${failed ? 'font-medium text-rose-700' : ''}`}>
                        {failed ? 'Error' : actionLabels[row.action]}
                      </td>
                      <td className="min-w-48 px-2 py-1.5 text-rose-700">
                        {row.errors.map((error) => (
                          <div key={error}>{error}</div>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={!ready || errorCount > 0 || count === 0 || importPending}>
          {importPending ? 'Importing…' : `Import ${count} ${count === 1 ? noun[0] : noun[1]}`}
        </Button>
      </div>
    </form>
  );
}
