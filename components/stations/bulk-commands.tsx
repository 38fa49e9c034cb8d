'use client';

import { createContext, startTransition, useActionState, useContext, useState } from 'react';
import { bulkCommandAction } from '@/lib/actions/commands';
import { commandStatusLabels, commandStatusTones } from '@/components/commands/labels';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

interface Selection {
  selected: ReadonlySet<string>;
  toggle(ids: readonly string[], on: boolean): void;
  clear(): void;
}

const SelectionContext = createContext<Selection | null>(null);

function useSelection(): Selection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error('BulkSelection is missing');
  return selection;
}

/** Holds the stations selected on the stations list, for bulk commands. */
export function BulkSelection({ children }: { children: React.ReactNode }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (ids: readonly string[], on: boolean) =>
    setSelected((previous) => {
      const next = new Set(previous);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  return (
    <SelectionContext.Provider value={{ selected, toggle, clear: () => setSelected(new Set()) }}>
      {children}
      <BulkBar />
    </SelectionContext.Provider>
  );
}

/** The checkbox of one station row. */
export function StationCheckbox({ id, label }: { id: string; label: string }) {
  const { selected, toggle } = useSelection();
  return (
    <input
      type="checkbox"
      aria-label={`Select ${label}`}
      checked={selected.has(id)}
      onChange={(e) => toggle([id], e.target.checked)}
      className="accent-brand-600 size-4 rounded border-slate-300"
    />
  );
}

/** Selects or clears every station of a site. */
export function SiteCheckbox({ ids, label }: { ids: string[]; label: string }) {
  const { selected, toggle } = useSelection();
  const all = ids.length > 0 && ids.every((id) => selected.has(id));
  return (
    <label className="inline-flex items-center gap-2 text-xs font-medium text-slate-600 normal-case">
      <input
        type="checkbox"
        checked={all}
        onChange={(e) => toggle(ids, e.target.checked)}
        className="accent-brand-600 size-4 rounded border-slate-300"
      />
      Select all {ids.length} at {label}
    </label>
  );
}

const bulkChoices = {
  'reset-soft': { label: 'Soft reset', fields: { kind: 'reset', mode: 'soft' }, disruptive: true },
  'reset-hard': { label: 'Hard reset', fields: { kind: 'reset', mode: 'hard' }, disruptive: true },
  operative: {
    label: 'Set operative',
    fields: { kind: 'change-availability', availability: 'operative' },
    disruptive: false,
  },
  inoperative: {
    label: 'Set inoperative',
    fields: { kind: 'change-availability', availability: 'inoperative' },
    disruptive: true,
  },
  status: {
    label: 'Ask for status',
    fields: { kind: 'trigger-message', message: 'status' },
    disruptive: false,
  },
  'clear-cache': { label: 'Clear authorisation cache', fields: { kind: 'clear-cache' }, disruptive: false },
} as const;
type BulkChoice = keyof typeof bulkChoices;

/** The bar that appears once stations are selected: one command for all of them, and each one's outcome. */
function BulkBar() {
  const { selected, clear } = useSelection();
  const [choice, setChoice] = useState<BulkChoice>('reset-soft');
  const [confirming, setConfirming] = useState(false);
  const [showResults, setShowResults] = useState(false);
  const [state, dispatch, pending] = useActionState(bulkCommandAction, null);

  const send = () => {
    const formData = new FormData();
    for (const id of selected) formData.append('stationIds[]', id);
    for (const [name, value] of Object.entries(bulkChoices[choice].fields)) formData.set(name, value);
    setShowResults(true);
    startTransition(() => dispatch(formData));
  };

  if (selected.size === 0 && !showResults) return null;
  return (
    <>
      {selected.size > 0 ? (
        <div
          className="fixed inset-x-3 bottom-3 z-[1000] mx-auto flex max-w-3xl flex-wrap items-center gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-lg"
          data-testid="bulk-bar"
        >
          <span className="text-sm font-medium text-slate-900">
            {selected.size} station{selected.size === 1 ? '' : 's'} selected
          </span>
          <select
            aria-label="Bulk command"
            value={choice}
            onChange={(e) => setChoice(e.target.value as BulkChoice)}
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            {Object.entries(bulkChoices).map(([key, c]) => (
              <option key={key} value={key}>
                {c.label}
              </option>
            ))}
          </select>
          <Button
            variant={bulkChoices[choice].disruptive ? 'danger' : 'primary'}
            disabled={pending}
            onClick={() => (bulkChoices[choice].disruptive ? setConfirming(true) : send())}
          >
            {pending ? 'Sending…' : 'Send'}
          </Button>
          <Button variant="ghost" onClick={clear}>
            Clear selection
          </Button>
        </div>
      ) : null}

      <Dialog open={confirming} onClose={() => setConfirming(false)} title={`${bulkChoices[choice].label}?`}>
        <p className="text-sm text-slate-700">
          {choice === 'reset-hard'
            ? `${selected.size} station(s) restart now; their running sessions end.`
            : choice === 'reset-soft'
              ? `${selected.size} station(s) restart; OCPP 1.6 stations end running sessions, 2.0.1 stations wait for them.`
              : `${selected.size} station(s) go out of service until set operative again.`}
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            onClick={() => {
              setConfirming(false);
              send();
            }}
          >
            Yes, send to {selected.size}
          </Button>
        </div>
      </Dialog>

      <Dialog
        open={showResults && (pending || state !== null)}
        onClose={() => setShowResults(false)}
        title="Bulk command results"
      >
        {pending ? (
          <p className="text-sm text-slate-700">Waiting for the stations to answer…</p>
        ) : state && !state.ok ? (
          <Alert tone="error">{state.error}</Alert>
        ) : state?.ok ? (
          <div className="space-y-3" data-testid="bulk-results">
            <Alert tone="info">{state.message}</Alert>
            <ul className="max-h-80 divide-y divide-slate-100 overflow-auto text-sm">
              {state.data.results.map((r) => (
                <li key={r.stationId} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
                  <span className="font-medium">{r.identity}</span>
                  <span className="flex items-center gap-2">
                    {r.status === 'refused' ? (
                      <Badge tone="red">Refused</Badge>
                    ) : (
                      <Badge tone={commandStatusTones[r.status]}>{commandStatusLabels[r.status]}</Badge>
                    )}
                    {r.detail && r.detail !== 'Accepted' ? (
                      <span className="text-slate-600">{r.detail}</span>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Dialog>
    </>
  );
}
