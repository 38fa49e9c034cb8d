'use client';

import Link from 'next/link';
import { useActionState, useId, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import {
  createUserAction,
  resetPasswordAction,
  setUserActiveAction,
  updateUserAction,
} from '@/lib/actions/users';
import type { ActionResult } from '@/lib/actions/define-action';
import type { UserSummary } from '@/lib/services/users';
import { roleLabels, roles, type Role } from '@/lib/domain/access/roles';
import { Alert } from '@/components/ui/alert';
import { CardLabel } from '@/components/ui/card-label';
import { CardTableHead } from '@/components/ui/card-table';
import { LocalTime } from '@/components/ui/local-time';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectField, TextField } from '@/components/ui/field';

/** A user as the users page hands it to the browser (dates as ISO strings). */
export type UserRow = Omit<UserSummary, 'lastSignInAt' | 'createdAt'> & {
  /** ISO date-time, or null when the user never signed in. */
  lastSignInAt: string | null;
};

/** A site a manager or technician can be scoped to. */
export interface SiteOption {
  id: string;
  name: string;
}

type Notice = { tone: 'success' | 'error'; text: string };

function parseRole(value: string): Role {
  return roles.find((r) => r === value) ?? 'technician';
}

/** A compact button for the actions of a table row. */
function RowAction({
  tone = 'default',
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: 'default' | 'danger' }) {
  const colors = tone === 'danger' ? 'text-rose-700 hover:bg-rose-50' : 'text-slate-700 hover:bg-slate-100';
  return (
    <button
      type="button"
      className={`focus-visible:outline-brand-600 rounded-md border border-slate-200 bg-white px-2.5 py-1.5 text-sm font-medium whitespace-nowrap shadow-xs transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60 ${colors}`}
      {...props}
    >
      {children}
    </button>
  );
}

/** The form-level error of an action result, if any. */
/** A one-time password with its note and a Done button, in place of the form that produced it. */
function PasswordShownOnce({
  onDone,
  ...shown
}: Parameters<typeof OneTimePassword>[0] & { onDone: () => void }) {
  return (
    <div className="space-y-4">
      <OneTimePassword {...shown} />
      <DialogActions>
        <Button onClick={onDone}>Done</Button>
      </DialogActions>
    </div>
  );
}

function FormError({ state }: { state: ActionResult<unknown> | null }) {
  if (!state || state.ok) return null;
  return <Alert tone="error">{state.error}</Alert>;
}

/** Copies text to the clipboard; falls back to selecting the element (plain-HTTP pages have no clipboard API). */
async function copyText(text: string, element: HTMLElement | null): Promise<boolean> {
  try {
    if (window.isSecureContext && navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission denied: fall through to the selection fallback.
  }
  if (!element) return false;
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/** A password shown once, with a copy button and the hand-over note. */
function OneTimePassword({
  heading,
  email,
  password,
  note,
}: {
  heading: string;
  email: string;
  password: string;
  note: string;
}) {
  const codeRef = useRef<HTMLElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <Alert tone="success">
      <div className="space-y-3">
        <p className="font-medium">{heading}</p>
        <p>
          Password for <strong className="font-semibold break-all">{email}</strong>:
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <code
            ref={codeRef}
            data-testid="one-time-password"
            className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-base break-all text-slate-900 select-all"
          >
            {password}
          </code>
          <Button
            variant="secondary"
            onClick={async () => setCopy((await copyText(password, codeRef.current)) ? 'copied' : 'failed')}
          >
            {copy === 'copied' ? 'Copied' : 'Copy'}
          </Button>
        </div>
        <p aria-live="polite" className="text-xs">
          {copy === 'failed' ? 'Copying is not available here: select the password and copy it. ' : null}
          {note}. It is shown only once.
        </p>
      </div>
    </Alert>
  );
}

/** The sites of a manager or technician: checkboxes named `siteIds[]`; a note for administrators. */
function SiteChooser({
  role,
  sites,
  selected,
  onChange,
  error,
}: {
  role: Role;
  sites: SiteOption[];
  selected: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const errorId = useId();
  if (role === 'admin') {
    return (
      <div className="space-y-1">
        <p className="text-sm font-medium text-slate-700">Sites</p>
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-600">
          Administrators see every site
        </p>
      </div>
    );
  }
  return (
    <fieldset className="space-y-1" aria-describedby={error ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-700">Sites</legend>
      {sites.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-2 text-sm text-slate-600">
          No sites yet.{' '}
          <Link
            href="/settings/sites"
            className="text-brand-700 font-medium underline-offset-2 hover:underline"
          >
            Add a site
          </Link>{' '}
          first: managers and technicians work on chosen sites.
        </p>
      ) : (
        <div
          className={`grid max-h-48 gap-0.5 overflow-y-auto rounded-md border p-1.5 sm:grid-cols-2 ${
            error ? 'border-rose-400' : 'border-slate-300'
          }`}
        >
          {sites.map((site) => (
            <label
              key={site.id}
              className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-slate-800 hover:bg-slate-50"
            >
              <input
                type="checkbox"
                name="siteIds[]"
                value={site.id}
                checked={selected.includes(site.id)}
                onChange={(e) =>
                  onChange(
                    e.target.checked ? [...selected, site.id] : selected.filter((id) => id !== site.id),
                  )
                }
                className="accent-brand-600 size-4 shrink-0"
              />
              <span className="min-w-0 truncate">{site.name}</span>
            </label>
          ))}
        </div>
      )}
      {error ? (
        <p id={errorId} className="text-sm text-rose-600" role="alert">
          {error}
        </p>
      ) : (
        <p className="text-xs text-slate-500">They see and work on these sites only.</p>
      )}
    </fieldset>
  );
}

function RoleSelect({
  role,
  onChange,
  error,
}: {
  role: Role;
  onChange: (role: Role) => void;
  error?: string;
}) {
  return (
    <SelectField
      label="Role"
      name="role"
      value={role}
      onChange={(e) => onChange(parseRole(e.target.value))}
      error={error}
      hint={
        role === 'admin'
          ? 'Manages users, sites and every station.'
          : role === 'manager'
            ? 'Operates the stations of their sites.'
            : 'Works on the stations of their sites.'
      }
    >
      {roles.map((r) => (
        <option key={r} value={r}>
          {roleLabels[r]}
        </option>
      ))}
    </SelectField>
  );
}

function DialogActions({ children }: { children: ReactNode }) {
  return <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">{children}</div>;
}

function CreateUserForm({ sites, onClose }: { sites: SiteOption[]; onClose: () => void }) {
  const [state, formAction, pending] = useActionState(createUserAction, null);
  const [role, setRole] = useState<Role>('technician');
  const [siteIds, setSiteIds] = useState<string[]>([]);

  if (state?.ok) {
    return (
      <PasswordShownOnce
        heading={state.message ?? 'User created'}
        email={state.data.email}
        password={state.data.initialPassword}
        note="Give this to the person; they choose their own at first sign-in"
        onDone={onClose}
      />
    );
  }

  return (
    <form noValidate onSubmit={submitWithoutReset(formAction)} className="space-y-4">
      <FormError state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" autoComplete="off" error={fieldError(state, 'name')} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          error={fieldError(state, 'email')}
        />
      </div>
      <RoleSelect role={role} onChange={setRole} error={fieldError(state, 'role')} />
      <SiteChooser
        role={role}
        sites={sites}
        selected={siteIds}
        onChange={setSiteIds}
        error={fieldError(state, 'siteIds')}
      />
      <TextField
        label="Initial password"
        name="password"
        type="text"
        autoComplete="off"
        spellCheck={false}
        error={fieldError(state, 'password')}
        hint="Leave empty to generate one"
      />
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          Create user
        </Button>
      </DialogActions>
    </form>
  );
}

function EditUserForm({
  user,
  sites,
  onSaved,
  onClose,
}: {
  user: UserRow;
  sites: SiteOption[];
  onSaved: (text: string) => void;
  onClose: () => void;
}) {
  const [state, formAction, pending] = useActionState(
    async (previous: ActionResult | null, formData: FormData) => {
      const result = await updateUserAction(previous, formData);
      if (result.ok) onSaved(`Saved the changes to ${String(formData.get('name') ?? user.name).trim()}`);
      return result;
    },
    null,
  );
  const [role, setRole] = useState<Role>(user.role);
  const [siteIds, setSiteIds] = useState<string[]>(user.siteIds);

  return (
    <form noValidate onSubmit={submitWithoutReset(formAction)} className="space-y-4">
      <input type="hidden" name="id" value={user.id} />
      <FormError state={state} />
      <p className="text-sm text-slate-600">
        Email: <span className="font-medium break-all text-slate-900">{user.email}</span>
      </p>
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        defaultValue={user.name}
        error={fieldError(state, 'name')}
      />
      <RoleSelect role={role} onChange={setRole} error={fieldError(state, 'role')} />
      <SiteChooser
        role={role}
        sites={sites}
        selected={siteIds}
        onChange={setSiteIds}
        error={fieldError(state, 'siteIds')}
      />
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          Save changes
        </Button>
      </DialogActions>
    </form>
  );
}

function ResetPasswordForm({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const [state, formAction, pending] = useActionState(resetPasswordAction, null);

  if (state?.ok) {
    return (
      <PasswordShownOnce
        heading={state.message ?? 'Password reset'}
        email={user.email}
        password={state.data.password}
        note="Give this to the person; they choose their own at next sign-in"
        onDone={onClose}
      />
    );
  }

  return (
    <form onSubmit={submitWithoutReset(formAction)} className="space-y-4">
      <input type="hidden" name="id" value={user.id} />
      <FormError state={state} />
      <p className="text-sm text-slate-700">
        Reset the password of <strong className="font-semibold">{user.name}</strong>? Their sessions end now.
      </p>
      <p className="text-sm text-slate-600">
        A new password is generated and shown to you once; they must choose their own when they next sign in.
      </p>
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={pending} aria-busy={pending}>
          Reset password
        </Button>
      </DialogActions>
    </form>
  );
}

function DeactivateForm({
  user,
  onDone,
  onClose,
}: {
  user: UserRow;
  onDone: (text: string) => void;
  onClose: () => void;
}) {
  const [state, formAction, pending] = useActionState(
    async (previous: ActionResult | null, formData: FormData) => {
      const result = await setUserActiveAction(previous, formData);
      if (result.ok) onDone(`${user.name}: ${result.message ?? 'Account deactivated'}`);
      return result;
    },
    null,
  );
  return (
    <form onSubmit={submitWithoutReset(formAction)} className="space-y-4">
      <input type="hidden" name="id" value={user.id} />
      <input type="hidden" name="active" value="false" />
      <FormError state={state} />
      <p className="text-sm text-slate-700">
        Deactivate <strong className="font-semibold">{user.name}</strong> ({user.email})? They are signed out
        now and can no longer sign in. You can reactivate the account later.
      </p>
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={pending} aria-busy={pending}>
          Deactivate
        </Button>
      </DialogActions>
    </form>
  );
}

/** Reactivation restores access without loss, so it runs at once (no confirmation). */
function ReactivateButton({ user, onResult }: { user: UserRow; onResult: (notice: Notice) => void }) {
  const [, formAction, pending] = useActionState(
    async (previous: ActionResult | null, formData: FormData) => {
      const result = await setUserActiveAction(previous, formData);
      onResult(
        result.ok
          ? { tone: 'success', text: `${user.name}: ${result.message ?? 'Account reactivated'}` }
          : { tone: 'error', text: `${user.name}: ${result.error}` },
      );
      return result;
    },
    null,
  );
  return (
    <form onSubmit={submitWithoutReset(formAction)}>
      <input type="hidden" name="id" value={user.id} />
      <input type="hidden" name="active" value="true" />
      <RowAction type="submit" disabled={pending} aria-busy={pending}>
        Reactivate
      </RowAction>
    </form>
  );
}

type Open = { kind: 'create' } | { kind: 'edit' | 'reset' | 'deactivate'; userId: string } | null;

/** The users of the organisation: list, create, edit, password reset, deactivation. */
export function UsersPanel({
  users,
  sites,
  currentUserId,
}: {
  users: UserRow[];
  sites: SiteOption[];
  currentUserId: string;
}) {
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const close = () => setOpen(null);
  const target = open && open.kind !== 'create' ? users.find((u) => u.id === open.userId) : undefined;
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const deactivated = users.filter((u) => !u.active).length;

  const openDialog = (next: Open) => {
    setNotice(null);
    setOpen(next);
  };
  const finish = (text: string) => {
    setNotice({ tone: 'success', text });
    setOpen(null);
  };

  return (
    <section aria-labelledby="users-heading" className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h2 id="users-heading" className="text-base font-semibold text-slate-900">
            Users
          </h2>
          <p className="text-sm text-slate-600">
            {users.length} {users.length === 1 ? 'account' : 'accounts'}
            {deactivated > 0 ? ` · ${deactivated} deactivated` : ''}
          </p>
        </div>
        <Button onClick={() => openDialog({ kind: 'create' })} className="self-start sm:self-auto">
          Add user
        </Button>
      </div>

      {notice ? (
        <Alert tone={notice.tone} onDismiss={() => setNotice(null)}>
          {notice.text}
        </Alert>
      ) : null}

      {users.length === 0 ? (
        <EmptyState title="No users yet">Add the people who operate your stations.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="block w-full text-sm md:table">
            <CardTableHead
              columns={[
                { label: 'User' },
                { label: 'Sites' },
                { label: 'Status' },
                { label: 'Actions', align: 'right', hidden: true },
              ]}
            />
            <tbody className="block divide-y divide-slate-200 md:table-row-group">
              {users.map((user) => {
                const isSelf = user.id === currentUserId;
                const names = user.siteIds.flatMap((id) => {
                  const name = siteNames.get(id);
                  return name === undefined ? [] : [name];
                });
                return (
                  <tr
                    key={user.id}
                    data-testid="user-row"
                    className={`block space-y-2 p-4 align-top md:table-row md:space-y-0 md:p-0 ${
                      user.active ? '' : 'bg-slate-50/70'
                    }`}
                  >
                    <td className="block md:table-cell md:px-4 md:py-3">
                      <div className="flex flex-wrap items-center gap-2">
                        <span className={`font-medium ${user.active ? 'text-slate-900' : 'text-slate-500'}`}>
                          {user.name}
                        </span>
                        {isSelf ? <Badge tone="blue">You</Badge> : null}
                      </div>
                      <div className="[overflow-wrap:anywhere] text-slate-500 md:[overflow-wrap:normal]">
                        {user.email}
                      </div>
                      <div className="hidden text-xs text-slate-500 md:block">{roleLabels[user.role]}</div>
                    </td>
                    {/* Role and last sign-in get their own lines on phones; in the table they sit in other cells. */}
                    <td className="flex gap-2 md:hidden">
                      <CardLabel>Role</CardLabel>
                      <span className="text-slate-700">{roleLabels[user.role]}</span>
                    </td>
                    <td className="flex gap-2 md:table-cell md:min-w-[13rem] md:px-4 md:py-3">
                      <CardLabel>Sites</CardLabel>
                      {user.role === 'admin' ? (
                        <span className="text-slate-700">All sites</span>
                      ) : names.length > 0 ? (
                        <ul className="text-slate-700">
                          {names.map((name) => (
                            <li key={name}>{name}</li>
                          ))}
                        </ul>
                      ) : (
                        <span className="text-slate-500">No sites</span>
                      )}
                    </td>
                    <td className="flex gap-2 md:table-cell md:px-4 md:py-3">
                      <CardLabel>Status</CardLabel>
                      <div className="flex flex-col items-start gap-1">
                        {user.active ? (
                          <Badge tone="green">Active</Badge>
                        ) : (
                          <Badge tone="slate">Deactivated</Badge>
                        )}
                        {user.mustChangePassword && user.active ? (
                          <span className="text-xs text-amber-700">Must change password</span>
                        ) : null}
                        <span className="hidden text-xs text-slate-500 md:block">
                          Last sign-in <LocalTime iso={user.lastSignInAt} />
                        </span>
                      </div>
                    </td>
                    <td className="flex gap-2 md:hidden">
                      <CardLabel>Last sign-in</CardLabel>
                      <span className="text-slate-700">
                        <LocalTime iso={user.lastSignInAt} />
                      </span>
                    </td>
                    <td className="block pt-2 md:table-cell md:px-4 md:py-3">
                      <div className="flex flex-wrap gap-2 md:flex-nowrap md:justify-end">
                        <RowAction onClick={() => openDialog({ kind: 'edit', userId: user.id })}>
                          Edit
                        </RowAction>
                        <RowAction onClick={() => openDialog({ kind: 'reset', userId: user.id })}>
                          Reset password
                        </RowAction>
                        {user.active ? (
                          isSelf ? null : (
                            <RowAction
                              tone="danger"
                              onClick={() => openDialog({ kind: 'deactivate', userId: user.id })}
                            >
                              Deactivate
                            </RowAction>
                          )
                        ) : (
                          <ReactivateButton user={user} onResult={setNotice} />
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <Dialog open={open?.kind === 'create'} onClose={close} title="Add user">
        <CreateUserForm sites={sites} onClose={close} />
      </Dialog>
      <Dialog open={open?.kind === 'edit' && target !== undefined} onClose={close} title="Edit user">
        {target ? <EditUserForm user={target} sites={sites} onSaved={finish} onClose={close} /> : null}
      </Dialog>
      <Dialog open={open?.kind === 'reset' && target !== undefined} onClose={close} title="Reset password">
        {target ? <ResetPasswordForm user={target} onClose={close} /> : null}
      </Dialog>
      <Dialog
        open={open?.kind === 'deactivate' && target !== undefined}
        onClose={close}
        title="Deactivate account"
      >
        {target ? <DeactivateForm user={target} onDone={finish} onClose={close} /> : null}
      </Dialog>
    </section>
  );
}
