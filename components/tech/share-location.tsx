'use client';

import { useActionState, useState, startTransition } from 'react';
import { shareLocationAction } from '@/lib/actions/maintenance';
import { resilient } from '@/components/ui/form-state';
import { Button } from '@/components/ui/button';

// A lost connection comes back as an error next to the form, keeping what was typed.
const safeShareLocationAction = resilient(shareLocationAction);

/**
 * Shares the phone's position with dispatch once, on request (no background tracking): the
 * nearest technician ranks first for the next urgent job.
 */
export function ShareLocation() {
  const [state, action, pending] = useActionState(safeShareLocationAction, null);
  const [error, setError] = useState<string | null>(null);
  const share = () => {
    setError(null);
    if (!('geolocation' in navigator)) {
      setError('This browser cannot tell where you are.');
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const data = new FormData();
        data.set('latitude', String(position.coords.latitude));
        data.set('longitude', String(position.coords.longitude));
        startTransition(() => action(data));
      },
      (failure) =>
        setError(
          failure.code === failure.PERMISSION_DENIED
            ? 'Location access is blocked for this site in your browser settings.'
            : 'Your position could not be found. Try again outdoors.',
        ),
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
    );
  };
  return (
    <div className="space-y-1">
      <Button variant="secondary" className="min-h-11 w-full sm:w-auto" onClick={share} disabled={pending}>
        {pending ? 'Sharing…' : 'Share my location'}
      </Button>
      {error ? (
        <p className="text-sm text-rose-600" role="alert">
          {error}
        </p>
      ) : state ? (
        <p className={`text-sm ${state.ok ? 'text-emerald-700' : 'text-rose-600'}`} role="status">
          {state.ok ? state.message : state.error}
        </p>
      ) : null}
    </div>
  );
}
