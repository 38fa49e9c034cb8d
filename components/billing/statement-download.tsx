'use client';

import { useState, type FormEvent } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { fieldError } from '@/components/ui/form-state';
import { PeriodFields } from './period-fields';

/** The file name the route gives the PDF, from its Content-Disposition header. */
function fileNameOf(response: Response): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '');
  return match?.[1] ?? 'statement.pdf';
}

/** Saves a downloaded file under its name, as a link to it would. */
function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the file to the browser's download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Downloads a driver's statement (PDF) for whole days in a site's time zone. It fetches the PDF route
 * so that a refused period or a refusal of the statement shows here, next to the fields, instead
 * of a page of JSON; without JavaScript the form opens the route itself.
 */
export function StatementDownload({
  driverId,
  defaultPeriod,
  zones,
  defaultZone,
}: {
  driverId: string;
  /** Preset days, 'YYYY-MM-DD'. */
  defaultPeriod: { from: string; to: string };
  /** The sites' time zones to choose from, each with the sites in it ("Europe/Paris · Lyon Depot"). */
  zones: { zone: string; label: string }[];
  defaultZone: string;
}) {
  const route = `/api/billing/drivers/${driverId}/statement`;
  const [result, setResult] = useState<ActionResult<string> | null>(null);
  const [pending, setPending] = useState(false);

  const download = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    const query = new URLSearchParams();
    for (const key of ['from', 'to', 'tz']) query.set(key, String(formData.get(key) ?? ''));
    setPending(true);
    try {
      const response = await fetch(`${route}?${query}`, { cache: 'no-store' });
      if (response.ok) {
        const fileName = fileNameOf(response);
        saveFile(await response.blob(), fileName);
        setResult({ ok: true, data: fileName, message: `Downloaded ${fileName}` });
      } else {
        const body = (await response.json().catch(() => ({}))) as {
          error?: string;
          fieldErrors?: Record<string, string>;
        };
        const { timeZone, form, ...fieldErrors } = body.fieldErrors ?? {};
        const fields = { ...fieldErrors, ...(timeZone ? { tz: timeZone } : {}) };
        setResult({
          ok: false,
          error: form ?? body.error ?? 'The statement could not be made. Try again.',
          fieldErrors: Object.keys(fields).length > 0 ? fields : undefined,
        });
      }
    } catch {
      setResult({ ok: false, error: 'ChargeOps could not be reached (no signal?). Try again in a moment.' });
    } finally {
      setPending(false);
    }
  };

  return (
    <form method="get" action={route} onSubmit={download} className="space-y-4" noValidate>
      {result && !result.ok && !result.fieldErrors ? <Alert tone="error">{result.error}</Alert> : null}
      {result?.ok ? (
        <Alert tone="success" onDismiss={() => setResult(null)}>
          {result.message}
        </Alert>
      ) : null}
      <div className="grid grid-cols-2 gap-4 md:grid-cols-[1fr_1fr_1.5fr_auto] md:items-start">
        <PeriodFields period={defaultPeriod} result={result} />
        <div className="col-span-2 md:col-span-1">
          <SelectField
            name="tz"
            label="Time zone"
            defaultValue={defaultZone}
            error={fieldError(result, 'tz')}
          >
            {zones.map(({ zone, label }) => (
              <option key={zone} value={zone}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="col-span-2 md:col-span-1 md:pt-6">
          <Button type="submit" variant="secondary" disabled={pending} className="w-full md:w-auto">
            {pending ? 'Preparing…' : 'Download PDF'}
          </Button>
        </div>
      </div>
    </form>
  );
}
