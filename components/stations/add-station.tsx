'use client';

import { useActionState, useState } from 'react';
import { useRouter } from 'next/navigation';
import { createStationAction } from '@/lib/actions/stations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';

/** "Add station": identity, site and OCPP password (generated when left empty, shown once). */
export function AddStation({ sites }: { sites: { id: string; name: string }[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [result, action, pending] = useActionState(createStationAction, null);
  const [shown, setShown] = useState<string | null>(null);
  const created = result?.ok && result.data.id !== shown ? result.data : null;
  const close = () => {
    if (result?.ok) setShown(result.data.id);
    setOpen(false);
    router.refresh();
  };
  return (
    <>
      <Button
        onClick={() => setOpen(true)}
        disabled={sites.length === 0}
        title={sites.length === 0 ? 'Add a site first' : undefined}
      >
        Add station
      </Button>
      <Dialog open={open} onClose={close} title="Add station">
        {created ? (
          <div className="space-y-4">
            <Alert tone="success">
              {created.identity} is registered. Configure the charger with:
              <dl className="mt-2 grid grid-cols-[7rem_1fr] gap-y-1">
                <dt>CSMS URL</dt>
                <dd className="font-mono break-all">{`${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ocpp`}</dd>
                <dt>Identity</dt>
                <dd className="font-mono">{created.identity}</dd>
                <dt>Password</dt>
                <dd className="font-mono font-semibold" data-testid="station-password">
                  {created.password}
                </dd>
              </dl>
              <p className="mt-2">The password is shown only now.</p>
            </Alert>
            <div className="flex justify-end">
              <Button onClick={close}>Done</Button>
            </div>
          </div>
        ) : (
          <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
            {result && !result.ok && !result.fieldErrors ? <Alert tone="error">{result.error}</Alert> : null}
            <TextField
              label="Identity"
              name="identity"
              autoComplete="off"
              hint="As configured on the charger (the last part of its CSMS URL)"
              error={fieldError(result, 'identity')}
            />
            <SelectField
              label="Site"
              name="siteId"
              defaultValue={sites[0]?.id ?? ''}
              error={fieldError(result, 'siteId')}
            >
              {sites.map((site) => (
                <option key={site.id} value={site.id}>
                  {site.name}
                </option>
              ))}
            </SelectField>
            <TextField
              label="OCPP password"
              name="password"
              autoComplete="off"
              hint="16 to 40 characters; leave empty to generate one"
              error={fieldError(result, 'password')}
            />
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                Add station
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
