'use client';

import { useActionState } from 'react';
import { setGroupPriorityAction } from '@/lib/actions/load';
import { Button } from '@/components/ui/button';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { priorityLabels } from './format';

const safeSetGroupPriorityAction = resilient(setGroupPriorityAction);

function GroupPriorityRow({
  group,
  canManage,
}: {
  group: { id: string; name: string; loadPriority: number };
  canManage: boolean;
}) {
  const [state, action, pending] = useActionState(safeSetGroupPriorityAction, null);
  const error = fieldError(state, 'loadPriority') ?? (state && !state.ok ? state.error : undefined);
  const selectId = `priority-${group.id}`;
  return (
    <li className="py-3">
      <form
        onSubmit={submitWithoutReset(action)}
        className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2"
        noValidate
        aria-label={`Priority of ${group.name}`}
      >
        <input type="hidden" name="groupId" value={group.id} />
        {canManage ? (
          <label htmlFor={selectId} className="min-w-0 text-sm font-medium break-words text-slate-800">
            {group.name}
          </label>
        ) : (
          <span className="min-w-0 text-sm font-medium break-words text-slate-800">{group.name}</span>
        )}
        {canManage ? (
          <div className="flex items-center gap-2">
            <select
              id={selectId}
              name="loadPriority"
              defaultValue={String(group.loadPriority)}
              aria-invalid={error ? true : undefined}
              className="focus:outline-brand-600 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-xs focus:outline-2 focus:-outline-offset-1"
            >
              {[1, 2, 3, 4, 5].map((p) => (
                <option key={p} value={p}>
                  {p} {priorityLabels[p]}
                </option>
              ))}
            </select>
            <Button type="submit" variant="secondary" className="px-2.5 py-1.5 text-xs" disabled={pending}>
              Save
            </Button>
          </div>
        ) : (
          <span className="text-sm text-slate-700">
            {group.loadPriority} {priorityLabels[group.loadPriority]}
          </span>
        )}
        {error ? (
          <p role="alert" className="w-full text-sm text-rose-600">
            {error}
          </p>
        ) : state?.ok ? (
          <p role="status" className="w-full text-xs text-emerald-700">
            {state.message}
          </p>
        ) : null}
      </form>
    </li>
  );
}

/**
 * How driver groups rank when power is short: spare capacity is shared by weight and the lowest
 * priority is paused first. Applies at every load-managed site of the organisation.
 */
export function GroupPriorities({
  groups,
  canManage,
}: {
  groups: { id: string; name: string; loadPriority: number }[];
  canManage: boolean;
}) {
  return (
    <ul aria-label="Driver group priorities" className="divide-y divide-slate-100">
      {groups.map((g) => (
        <GroupPriorityRow key={g.id} group={g} canManage={canManage} />
      ))}
    </ul>
  );
}
