'use client';

import { startTransition, useActionState, useState } from 'react';
import { removeConfigurationDefaultAction, setConfigurationDefaultAction } from '@/lib/actions/commands';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';

interface DefaultRow {
  id: string;
  ocppVersion: string;
  key: string;
  value: string;
}

function DefaultsTable({
  rows,
  onRemove,
  pending,
}: {
  rows: DefaultRow[];
  onRemove: (row: DefaultRow) => void;
  pending: boolean;
}) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">None.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[32rem] text-sm" data-testid="defaults-table">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th className="pb-2 font-medium">OCPP</th>
            <th className="pb-2 font-medium">Key</th>
            <th className="pb-2 font-medium">Value</th>
            <th className="pb-2" />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} data-testid="default-row" data-key={r.key}>
              <td className="py-1.5 pr-3 whitespace-nowrap">{r.ocppVersion}</td>
              <td className="py-1.5 pr-3 font-mono text-xs break-all">{r.key}</td>
              <td className="py-1.5 pr-3 break-all">{r.value}</td>
              <td className="py-1.5 text-right">
                <Button
                  variant="ghost"
                  disabled={pending}
                  onClick={() => onRemove(r)}
                  aria-label={`Remove ${r.key}`}
                >
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The configuration ChargeOps applies to chargers after each boot: organisation-wide values per
 * OCPP version, and per-site overrides. Setting a key again changes its value.
 */
export function ConfigurationDefaults({
  organisation,
  sites,
}: {
  organisation: DefaultRow[];
  sites: { id: string; name: string; defaults: DefaultRow[] }[];
}) {
  const [saved, save, saving] = useActionState(setConfigurationDefaultAction, null);
  const [removed, remove, removing] = useActionState(removeConfigurationDefaultAction, null);
  const [toRemove, setRemoving] = useState<DefaultRow | null>(null);
  const onRemove = (row: DefaultRow) => setRemoving(row);
  const confirmRemove = () => {
    if (!toRemove) return;
    const formData = new FormData();
    formData.set('id', toRemove.id);
    setRemoving(null);
    startTransition(() => remove(formData));
  };
  const result = removed ?? saved;

  return (
    <div className="space-y-8">
      <p className="max-w-3xl text-sm text-slate-600">
        After a charger boots, ChargeOps reads these keys and changes the ones that differ, so power and
        energy arrive at a known interval. Each station&apos;s Configuration tab shows where it differs. OCPP
        1.6 keys are plain (MeterValueSampleInterval); OCPP 2.0.1 keys name the component
        (SampledDataCtrlr.TxUpdatedInterval). A site value overrides the organisation&apos;s.
      </p>
      {result ? (
        <Alert tone={result.ok ? 'success' : 'error'}>{result.ok ? result.message : result.error}</Alert>
      ) : null}

      <section aria-label="Set a value" className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
        <h2 className="mb-4 font-semibold text-slate-900">Set a value</h2>
        <form
          onSubmit={submitWithoutReset(save)}
          className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4"
          noValidate
        >
          <SelectField name="siteId" label="Applies to" defaultValue="">
            <option value="">Whole organisation</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                Site: {s.name}
              </option>
            ))}
          </SelectField>
          <SelectField name="ocppVersion" label="OCPP version" error={fieldError(saved, 'ocppVersion')}>
            <option value="1.6">1.6</option>
            <option value="2.0.1">2.0.1</option>
          </SelectField>
          <TextField
            name="key"
            label="Key"
            error={fieldError(saved, 'key')}
            placeholder="MeterValueSampleInterval"
          />
          <TextField name="value" label="Value" error={fieldError(saved, 'value')} placeholder="60" />
          <div className="sm:col-span-2 lg:col-span-4">
            <Button type="submit" disabled={saving}>
              {saving ? 'Saving…' : 'Save value'}
            </Button>
          </div>
        </form>
      </section>

      <section
        aria-label="Organisation defaults"
        className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs"
      >
        <h2 className="mb-3 font-semibold text-slate-900">Organisation defaults</h2>
        <DefaultsTable rows={organisation} onRemove={onRemove} pending={removing} />
      </section>

      <Dialog open={toRemove !== null} onClose={() => setRemoving(null)} title="Remove this default?">
        <p className="text-sm text-slate-700">
          ChargeOps stops setting <strong>{toRemove?.key}</strong> after boots (a site override falls back to
          the organisation&apos;s value). Stations keep the value they have now.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setRemoving(null)}>
            Cancel
          </Button>
          <Button variant="danger" onClick={confirmRemove}>
            Remove
          </Button>
        </div>
      </Dialog>

      {sites.map((site) => (
        <section
          key={site.id}
          aria-label={`Overrides of ${site.name}`}
          className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs"
        >
          <h2 className="mb-3 font-semibold text-slate-900">Overrides at {site.name}</h2>
          <DefaultsTable rows={site.defaults} onRemove={onRemove} pending={removing} />
        </section>
      ))}
    </div>
  );
}
