'use client';

import { useRouter } from 'next/navigation';
import { startTransition, useActionState, useEffect, useState } from 'react';
import { clearStationPolicyAction, setAccessPolicyAction } from '@/lib/actions/drivers';
import type { TimeWindow } from '@/lib/domain/access/authorization';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

interface GrantDraft {
  groupId: string;
  windows: TimeWindow[];
  /** kW as typed; empty = no cap. */
  maxKw: string;
}

export interface PolicyEditorProps {
  target: { kind: 'site' | 'station'; id: string };
  groups: { id: string; name: string }[];
  mode: 'public' | 'restricted';
  /** A station without its own rules shows its site's. */
  inherited: boolean;
  grants: { groupId: string; windows: TimeWindow[]; maxPowerW: number | null }[];
  canEdit: boolean;
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const weekdays: TimeWindow = { days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' };

/**
 * Who may charge here: anyone with a valid token, or only listed groups, each at any time or in
 * weekly windows (site time) and with an optional power cap.
 */
export function PolicyEditor(props: PolicyEditorProps) {
  const router = useRouter();
  const [mode, setMode] = useState(props.mode);
  const [grants, setGrants] = useState<GrantDraft[]>(
    props.grants.map((g) => ({
      groupId: g.groupId,
      windows: g.windows,
      maxKw: g.maxPowerW === null ? '' : String(g.maxPowerW / 1000),
    })),
  );
  const [saved, save, saving] = useActionState(setAccessPolicyAction, null);
  const [cleared, clear, clearing] = useActionState(clearStationPolicyAction, null);
  useEffect(() => {
    if (saved?.ok || cleared?.ok) router.refresh();
  }, [saved, cleared, router]);
  const result = cleared ?? saved;
  const update = (index: number, change: Partial<GrantDraft>) =>
    setGrants((list) => list.map((g, i) => (i === index ? { ...g, ...change } : g)));
  const updateWindow = (index: number, w: number, change: Partial<TimeWindow>) =>
    update(index, {
      windows: grants[index]!.windows.map((win, j) => (j === w ? { ...win, ...change } : win)),
    });
  const unused = props.groups.filter((g) => !grants.some((x) => x.groupId === g.id));
  const disabled = !props.canEdit;

  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    const bad = grants.find((g) => g.maxKw.trim() && !(Number(g.maxKw) > 0));
    if (mode === 'restricted' && bad) {
      setProblem(
        `The power cap of ${props.groups.find((g) => g.id === bad.groupId)?.name ?? 'a group'} must be a number of kW above 0`,
      );
      return;
    }
    setProblem(null);
    const formData = new FormData();
    formData.set('targetKind', props.target.kind);
    formData.set('targetId', props.target.id);
    formData.set('mode', mode);
    formData.set(
      'grants',
      JSON.stringify(
        mode === 'public'
          ? []
          : grants.map((g) => ({
              groupId: g.groupId,
              windows: g.windows,
              ...(g.maxKw.trim() ? { maxPowerW: Math.round(Number(g.maxKw) * 1000) } : {}),
            })),
      ),
    );
    startTransition(() => save(formData));
  };

  return (
    <div className="space-y-4" data-testid="policy-editor">
      {props.inherited ? (
        <p className="text-sm text-slate-600">
          This station follows its site&apos;s rules. Saving here gives it rules of its own.
        </p>
      ) : null}
      <fieldset className="space-y-2" disabled={disabled}>
        <legend className="text-sm font-medium text-slate-700">Who may charge</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name={`mode-${props.target.id}`}
            checked={mode === 'public'}
            onChange={() => setMode('public')}
          />
          Anyone with a valid token (public)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name={`mode-${props.target.id}`}
            checked={mode === 'restricted'}
            onChange={() => setMode('restricted')}
          />
          Only these groups
        </label>
      </fieldset>

      {mode === 'restricted' ? (
        <div className="space-y-3">
          {grants.length === 0 ? (
            <p className="text-sm text-amber-800">No group yet: nobody may charge here.</p>
          ) : null}
          {grants.map((grant, index) => (
            <div
              key={grant.groupId}
              className="space-y-3 rounded-lg border border-slate-200 p-3"
              data-testid="grant"
            >
              <div className="flex flex-wrap items-end gap-3">
                <label className="text-sm">
                  <span className="block font-medium text-slate-700">Group</span>
                  <select
                    value={grant.groupId}
                    disabled={disabled}
                    onChange={(e) => update(index, { groupId: e.target.value })}
                    className="mt-1 rounded-md border border-slate-300 px-2 py-1.5"
                  >
                    {props.groups
                      .filter((g) => g.id === grant.groupId || unused.some((u) => u.id === g.id))
                      .map((g) => (
                        <option key={g.id} value={g.id}>
                          {g.name}
                        </option>
                      ))}
                  </select>
                </label>
                <label className="text-sm">
                  <span className="block font-medium text-slate-700">Power cap (kW, optional)</span>
                  <input
                    value={grant.maxKw}
                    disabled={disabled}
                    inputMode="decimal"
                    onChange={(e) => update(index, { maxKw: e.target.value })}
                    className="mt-1 w-28 rounded-md border border-slate-300 px-2 py-1.5"
                    aria-label={`Power cap of ${props.groups.find((g) => g.id === grant.groupId)?.name ?? 'group'}`}
                  />
                </label>
                {!disabled ? (
                  <Button
                    variant="ghost"
                    onClick={() => setGrants((list) => list.filter((_, i) => i !== index))}
                  >
                    Remove group
                  </Button>
                ) : null}
              </div>
              {grant.windows.length === 0 ? <p className="text-sm text-slate-600">At any time.</p> : null}
              {grant.windows.map((win, w) => (
                <div key={w} className="flex flex-wrap items-center gap-2 text-sm" data-testid="window">
                  {days.map((day, d) => (
                    <label key={day} className="flex items-center gap-1">
                      <input
                        type="checkbox"
                        disabled={disabled}
                        checked={win.days.includes(d)}
                        onChange={(e) =>
                          updateWindow(index, w, {
                            days: e.target.checked
                              ? [...win.days, d].sort()
                              : win.days.filter((x) => x !== d),
                          })
                        }
                      />
                      {day}
                    </label>
                  ))}
                  <input
                    type="time"
                    value={win.start}
                    disabled={disabled}
                    aria-label="From"
                    onChange={(e) => updateWindow(index, w, { start: e.target.value })}
                    className="rounded-md border border-slate-300 px-2 py-1"
                  />
                  <span>to</span>
                  <input
                    type="time"
                    value={win.end === '24:00' ? '23:59' : win.end}
                    disabled={disabled}
                    aria-label="Until"
                    onChange={(e) => updateWindow(index, w, { end: e.target.value })}
                    className="rounded-md border border-slate-300 px-2 py-1"
                  />
                  {!disabled ? (
                    <Button
                      variant="ghost"
                      onClick={() => update(index, { windows: grant.windows.filter((_, j) => j !== w) })}
                    >
                      Remove
                    </Button>
                  ) : null}
                </div>
              ))}
              {!disabled ? (
                <Button
                  variant="secondary"
                  onClick={() => update(index, { windows: [...grant.windows, weekdays] })}
                >
                  Add time window
                </Button>
              ) : null}
            </div>
          ))}
          {!disabled && unused.length > 0 ? (
            <Button
              variant="secondary"
              onClick={() =>
                setGrants((list) => [...list, { groupId: unused[0]!.id, windows: [], maxKw: '' }])
              }
            >
              Add group
            </Button>
          ) : null}
          {props.groups.length === 0 ? (
            <p className="text-sm text-slate-600">Create groups on the Groups tab first.</p>
          ) : null}
        </div>
      ) : null}

      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {result && !problem ? (
        <Alert tone={result.ok ? 'success' : 'error'}>{result.ok ? result.message : result.error}</Alert>
      ) : null}
      {!disabled ? (
        <div className="flex flex-wrap gap-2">
          <Button onClick={submit} disabled={saving}>
            Save rules
          </Button>
          {props.target.kind === 'station' && !props.inherited ? (
            <Button
              variant="secondary"
              disabled={clearing}
              onClick={() => {
                const formData = new FormData();
                formData.set('stationId', props.target.id);
                startTransition(() => clear(formData));
              }}
            >
              Use the site&apos;s rules
            </Button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
