'use client';

import { useRouter } from 'next/navigation';
import { startTransition, useActionState, useEffect, useMemo, useState } from 'react';
import { deleteGroupAction, setGroupMembersAction } from '@/lib/actions/drivers';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

/** The members of a group as a filterable checklist of every driver; saving replaces the members. */
export function GroupMembers({
  groupId,
  groupName,
  drivers,
  memberIds,
  canEdit,
}: {
  groupId: string;
  groupName: string;
  drivers: { id: string; name: string; email: string | null }[];
  memberIds: string[];
  canEdit: boolean;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState(() => new Set(memberIds));
  const [filter, setFilter] = useState('');
  const [saved, save, saving] = useActionState(setGroupMembersAction, null);
  const [deleted, remove, deleting] = useActionState(deleteGroupAction, null);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (saved?.ok) router.refresh();
    if (deleted?.ok) router.push('/drivers/groups');
  }, [saved, deleted, router]);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f
      ? drivers.filter((d) => d.name.toLowerCase().includes(f) || (d.email ?? '').toLowerCase().includes(f))
      : drivers;
  }, [drivers, filter]);
  const submit = () => {
    const formData = new FormData();
    formData.set('groupId', groupId);
    for (const id of selected) formData.append('driverIds[]', id);
    startTransition(() => save(formData));
  };
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <input
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder={`Filter ${drivers.length} drivers`}
          aria-label="Filter drivers"
          className="block w-full max-w-xs rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <span className="text-sm text-slate-600">{selected.size} selected</span>
      </div>
      <ul className="max-h-96 divide-y divide-slate-100 overflow-auto rounded-lg border border-slate-200">
        {shown.map((d) => (
          <li key={d.id}>
            <label className="flex items-center gap-3 px-3 py-2 text-sm">
              <input
                type="checkbox"
                disabled={!canEdit}
                checked={selected.has(d.id)}
                aria-label={`Member: ${d.name}`}
                onChange={(e) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(d.id);
                    else next.delete(d.id);
                    return next;
                  })
                }
              />
              <span>
                {d.name}
                {d.email ? <span className="ml-2 text-xs text-slate-500">{d.email}</span> : null}
              </span>
            </label>
          </li>
        ))}
        {shown.length === 0 ? <li className="px-3 py-2 text-sm text-slate-600">No driver matches.</li> : null}
      </ul>
      {saved ? (
        <Alert tone={saved.ok ? 'success' : 'error'}>{saved.ok ? saved.message : saved.error}</Alert>
      ) : null}
      {deleted && !deleted.ok ? <Alert tone="error">{deleted.error}</Alert> : null}
      {canEdit ? (
        <div className="flex flex-wrap gap-2">
          <Button onClick={submit} disabled={saving}>
            Save members
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(true)}>
            Delete group
          </Button>
        </div>
      ) : null}
      <Dialog open={confirming} onClose={() => setConfirming(false)} title={`Delete ${groupName}?`}>
        <p className="text-sm text-slate-700">
          Its members stay, but lose what this group allowed them: access rules that list it no longer do, and
          a restricted site or station that lists only this group lets nobody charge.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={deleting}
            onClick={() => {
              setConfirming(false);
              const formData = new FormData();
              formData.set('id', groupId);
              startTransition(() => remove(formData));
            }}
          >
            Delete group
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
