'use client';

import { startTransition, useActionState, useMemo, useState } from 'react';
import { sendCommandAction } from '@/lib/actions/commands';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { fieldError } from '@/components/ui/form-state';
import { CommandResult } from './command-form';

export interface ConfigurationRow {
  key: string;
  attributeType: string;
  value: string | null;
  readonly: boolean;
  unit: string | null;
  dataType: string | null;
  reportedAt: string;
}

/** The station's reported configuration, filterable, with writable values editable in place. */
export function ConfigurationTable({
  stationId,
  rows,
  canEdit,
}: {
  stationId: string;
  rows: ConfigurationRow[];
  canEdit: boolean;
}) {
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [state, dispatch, pending] = useActionState(sendCommandAction, null);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f
      ? rows.filter((r) => r.key.toLowerCase().includes(f) || (r.value ?? '').toLowerCase().includes(f))
      : rows;
  }, [rows, filter]);

  return (
    <div className="space-y-3">
      <input
        type="search"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        placeholder={`Filter ${rows.length} values`}
        aria-label="Filter configuration"
        className="block w-full max-w-sm rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      <CommandResult result={state} />
      <div className="max-h-[32rem] overflow-auto">
        <table className="w-full min-w-[36rem] text-sm" data-testid="configuration-table">
          <thead className="sticky top-0 bg-white text-left text-xs text-slate-500">
            <tr>
              <th className="py-2 font-medium">Key</th>
              <th className="py-2 font-medium">Value</th>
              <th className="py-2 font-medium">Access</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {shown.map((r) => {
              const id = `${r.key}|${r.attributeType}`;
              const editable = canEdit && !r.readonly && r.attributeType === 'Actual';
              return (
                <tr key={id} data-testid="configuration-row" data-key={r.key}>
                  <td className="py-1.5 pr-3 font-mono text-xs [overflow-wrap:anywhere] text-slate-800">
                    {r.key}
                    {r.attributeType !== 'Actual' ? (
                      <span className="text-slate-500"> ({r.attributeType})</span>
                    ) : null}
                  </td>
                  <td className="py-1.5 pr-3 [overflow-wrap:anywhere]">
                    {editing === id ? (
                      <form
                        className="flex gap-2"
                        onSubmit={(e) => {
                          e.preventDefault();
                          const formData = new FormData(e.currentTarget);
                          startTransition(() => dispatch(formData));
                          setEditing(null);
                        }}
                      >
                        <input type="hidden" name="stationId" value={stationId} />
                        <input type="hidden" name="kind" value="change-configuration" />
                        <input type="hidden" name="key" value={r.key} />
                        <input
                          name="value"
                          defaultValue={r.value ?? ''}
                          aria-label={`New value of ${r.key}`}
                          aria-invalid={fieldError(state, 'value') ? true : undefined}
                          className="w-full min-w-0 rounded-md border border-slate-300 px-2 py-1 text-sm"
                          autoFocus
                        />
                        <Button type="submit" disabled={pending}>
                          Save
                        </Button>
                        <Button variant="ghost" onClick={() => setEditing(null)}>
                          Cancel
                        </Button>
                      </form>
                    ) : (
                      <>
                        {r.value ?? <span className="text-slate-400">no value</span>}
                        {r.unit ? <span className="text-slate-500"> {r.unit}</span> : null}
                      </>
                    )}
                  </td>
                  <td className="py-1.5 pr-3">
                    <Badge tone={r.readonly ? 'slate' : 'blue'}>
                      {r.readonly ? 'read-only' : 'writable'}
                    </Badge>
                  </td>
                  <td className="py-1.5 text-right">
                    {editable && editing !== id ? (
                      <Button variant="ghost" onClick={() => setEditing(id)} disabled={pending}>
                        Edit
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="py-3 text-sm text-slate-600">No value matches.</p> : null}
      </div>
    </div>
  );
}
