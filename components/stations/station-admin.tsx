'use client';

import { useActionState, useState } from 'react';
import {
  deleteStationAction,
  placeStationAction,
  setRegistrationAction,
  setStationPasswordAction,
} from '@/lib/actions/stations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';

interface Props {
  stationId: string;
  identity: string;
  registrationStatus: 'accepted' | 'pending' | 'rejected';
  siteId: string | null;
  sites: { id: string; name: string }[];
  hasPassword: boolean;
  canDelete: boolean;
}

/** Registration controls of the station page: accept, place on a site, set the password, delete. */
export function StationAdmin({
  stationId,
  identity,
  registrationStatus,
  siteId,
  sites,
  hasPassword,
  canDelete,
}: Props) {
  const [registration, registrationAction, registrationPending] = useActionState(setRegistrationAction, null);
  const [placement, placementAction, placementPending] = useActionState(placeStationAction, null);
  const [passwordResult, passwordAction, passwordPending] = useActionState(setStationPasswordAction, null);
  const [deletion, deleteAction, deletePending] = useActionState(deleteStationAction, null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [confirmPassword, setConfirmPassword] = useState(false);

  return (
    <div className="space-y-5">
      {registration ? (
        <Alert tone={registration.ok ? 'success' : 'error'}>
          {registration.ok ? registration.message : registration.error}
        </Alert>
      ) : null}
      {registrationStatus !== 'accepted' ? (
        <div className="space-y-2">
          <p className="text-sm text-slate-700">
            This station is <strong>{registrationStatus}</strong>: its BootNotification is answered{' '}
            {registrationStatus === 'pending' ? 'Pending' : 'Rejected'} and it may send nothing else.
          </p>
          <div className="flex gap-2">
            <form onSubmit={submitWithoutReset(registrationAction)}>
              <input type="hidden" name="id" value={stationId} />
              <input type="hidden" name="status" value="accepted" />
              <Button type="submit" disabled={registrationPending}>
                Accept station
              </Button>
            </form>
            {registrationStatus === 'pending' ? (
              <form onSubmit={submitWithoutReset(registrationAction)}>
                <input type="hidden" name="id" value={stationId} />
                <input type="hidden" name="status" value="rejected" />
                <Button type="submit" variant="secondary" disabled={registrationPending}>
                  Reject
                </Button>
              </form>
            ) : null}
          </div>
        </div>
      ) : null}

      <form onSubmit={submitWithoutReset(placementAction)} className="space-y-2" noValidate>
        <input type="hidden" name="id" value={stationId} />
        {placement?.ok ? <Alert tone="success">{placement.message}</Alert> : null}
        {placement && !placement.ok && !placement.fieldErrors ? (
          <Alert tone="error">{placement.error}</Alert>
        ) : null}
        <div className="flex items-end gap-2">
          <div className="flex-1">
            <SelectField
              label="Site"
              name="siteId"
              defaultValue={siteId ?? ''}
              error={fieldError(placement, 'siteId')}
            >
              {siteId ? null : <option value="">Not placed on a site</option>}
              {sites.map((site) => (
                <option key={site.id} value={site.id}>
                  {site.name}
                </option>
              ))}
            </SelectField>
          </div>
          <Button type="submit" variant="secondary" disabled={placementPending}>
            Move
          </Button>
        </div>
      </form>

      <div className="space-y-2">
        <p className="text-sm text-slate-700">
          OCPP password (Basic auth, security profile 1): {hasPassword ? 'set' : <strong>not set</strong>}.
        </p>
        {passwordResult?.ok ? (
          <Alert tone="success">
            New password for {identity}:{' '}
            <code data-testid="station-password" className="font-mono font-semibold">
              {passwordResult.data.password}
            </code>
            <br />
            Shown once. Configure it on the charger (1.6 AuthorizationKey, 2.0.1 BasicAuthPassword); until
            then it cannot connect.
          </Alert>
        ) : null}
        {passwordResult && !passwordResult.ok ? <Alert tone="error">{passwordResult.error}</Alert> : null}
        <Button variant="secondary" onClick={() => setConfirmPassword(true)}>
          {hasPassword ? 'Rotate password' : 'Set password'}
        </Button>
      </div>

      {canDelete ? (
        <div>
          <Button variant="danger" onClick={() => setConfirmDelete(true)}>
            Delete station
          </Button>
        </div>
      ) : null}

      <Dialog
        open={confirmPassword}
        onClose={() => setConfirmPassword(false)}
        title="Set a new OCPP password"
      >
        <form
          onSubmit={(event) => {
            submitWithoutReset(passwordAction)(event);
            setConfirmPassword(false);
          }}
          className="space-y-4"
          noValidate
        >
          <input type="hidden" name="id" value={stationId} />
          <p className="text-sm text-slate-700">
            {identity} will be refused until the charger uses the new password. Its current connection stays
            open.
          </p>
          <TextField
            label="New password"
            name="password"
            autoComplete="off"
            hint="16 to 40 characters; leave empty to generate one"
            error={fieldError(passwordResult, 'password')}
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setConfirmPassword(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={passwordPending}>
              Set password
            </Button>
          </div>
        </form>
      </Dialog>

      <Dialog open={confirmDelete} onClose={() => setConfirmDelete(false)} title="Delete station">
        <form onSubmit={submitWithoutReset(deleteAction)} className="space-y-4">
          <input type="hidden" name="id" value={stationId} />
          <p className="text-sm text-slate-700">
            Delete <strong>{identity}</strong> with its sessions, meter values and logs? The charger will be
            refused when it next connects. This cannot be undone.
          </p>
          {deletion && !deletion.ok ? <Alert tone="error">{deletion.error}</Alert> : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setConfirmDelete(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={deletePending}>
              Delete
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
