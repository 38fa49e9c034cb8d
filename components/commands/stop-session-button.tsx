'use client';

import { startTransition, useActionState, useState } from 'react';
import { sendCommandAction } from '@/lib/actions/commands';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { CommandResult } from './command-form';

/** Remote stop of one running session, with the station's answer beside the button. */
export function StopSessionButton({ stationId, sessionId }: { stationId: string; sessionId: string }) {
  const [state, dispatch, pending] = useActionState(sendCommandAction, null);
  const [confirming, setConfirming] = useState(false);
  const stop = () => {
    setConfirming(false);
    const formData = new FormData();
    formData.set('stationId', stationId);
    formData.set('kind', 'remote-stop');
    formData.set('sessionId', sessionId);
    startTransition(() => dispatch(formData));
  };
  return (
    <div className="flex flex-col items-end gap-2">
      <Button variant="secondary" disabled={pending} onClick={() => setConfirming(true)}>
        {pending ? 'Stopping…' : 'Stop session'}
      </Button>
      <CommandResult result={state} />
      <Dialog open={confirming} onClose={() => setConfirming(false)} title="Stop this session?">
        <p className="text-sm text-slate-700">The station ends the driver&apos;s session now.</p>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Keep charging
          </Button>
          <Button variant="danger" onClick={stop}>
            Stop session
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
