'use client';

import { useActionState } from 'react';
import { addTokenAction, updateTokenAction } from '@/lib/actions/drivers';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, localTimeToIso, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

const ocppTypes = ['ISO14443', 'ISO15693', 'KeyCode', 'Central', 'eMAID', 'Local', 'MacAddress'];

export interface EditableToken {
  id: string;
  idToken: string;
  kind: string;
  ocppType: string;
  driverId: string | null;
  expiresAt: Date | null;
  parentIdTag: string | null;
  label: string | null;
}

/** The value a datetime-local input shows for an instant, in the browser's zone. */
function localInputValue(date: Date | null): string {
  if (!date) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/**
 * Registers a token, for one driver (their page) or choosing the driver (the tokens page), or edits
 * one (`token`). Blocking has its own button.
 */
export function TokenDialog({
  driverId,
  drivers,
  token,
}: {
  driverId?: string;
  drivers?: { id: string; name: string }[];
  token?: EditableToken;
}) {
  const [state, action, pending] = useActionState(token ? updateTokenAction : addTokenAction, null);
  const { open, setOpen } = useFormDialog(state);
  const submit = submitWithoutReset((formData: FormData) => {
    localTimeToIso(formData, 'expiresAtLocal', 'expiresAt');
    action(formData);
  });
  return (
    <>
      {token ? (
        <Button variant="ghost" onClick={() => setOpen(true)} aria-label={`Edit ${token.idToken}`}>
          Edit
        </Button>
      ) : (
        <Button variant={driverId ? 'secondary' : 'primary'} onClick={() => setOpen(true)}>
          Add token
        </Button>
      )}
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={token ? `Edit ${token.idToken}` : 'Add token'}
      >
        <form onSubmit={submit} className="space-y-4" noValidate>
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          {token ? <input type="hidden" name="id" value={token.id} /> : null}
          {driverId && !drivers ? <input type="hidden" name="driverId" value={driverId} /> : null}
          <TextField
            name="idToken"
            label="Token value"
            defaultValue={token?.idToken}
            error={fieldError(state, 'idToken')}
            hint="The RFID UID, app token or key code as chargers send it (OCPP 1.6 chargers: at most 20 characters)"
            autoComplete="off"
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              name="kind"
              label="Kind"
              defaultValue={token?.kind}
              error={fieldError(state, 'kind')}
            >
              <option value="rfid">RFID card</option>
              <option value="app">App token</option>
              <option value="key_fob">Key fob</option>
            </SelectField>
            <SelectField
              name="ocppType"
              label="OCPP 2.0.1 type"
              defaultValue={token?.ocppType}
              error={fieldError(state, 'ocppType')}
            >
              {ocppTypes.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </SelectField>
          </div>
          {drivers ? (
            <SelectField
              name="driverId"
              label="Driver"
              defaultValue={token?.driverId ?? driverId ?? ''}
              error={fieldError(state, 'driverId')}
            >
              <option value="">Not given to anyone yet</option>
              {drivers.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </SelectField>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              name="expiresAtLocal"
              label="Expires (optional)"
              type="datetime-local"
              defaultValue={localInputValue(token?.expiresAt ?? null)}
              error={fieldError(state, 'expiresAt')}
            />
            <TextField
              name="parentIdTag"
              label="Parent id tag (optional)"
              defaultValue={token?.parentIdTag ?? ''}
              error={fieldError(state, 'parentIdTag')}
              hint="OCPP 1.6 group tag"
            />
          </div>
          <TextField
            name="label"
            label="Label (optional)"
            defaultValue={token?.label ?? ''}
            error={fieldError(state, 'label')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            {token ? 'Save' : 'Add token'}
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
