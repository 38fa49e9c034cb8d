'use client';

import { startTransition, useActionState } from 'react';
import { sendCommandAction } from '@/lib/actions/commands';
import { Button } from '@/components/ui/button';
import { CommandResult } from './command-form';

/** Remote stop of one running session, with the station's answer beside the button. */
export function StopSessionButton({ stationId, sessionId }: { stationId: string; sessionId: string }) {
  const [state, dispatch, pending] = useActionState(sendCommandAction, null);
  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() => {
          const formData = new FormData();
          formData.set('stationId', stationId);
          formData.set('kind', 'remote-stop');
          formData.set('sessionId', sessionId);
          startTransition(() => dispatch(formData));
        }}
      >
        {pending ? 'Stopping…' : 'Stop session'}
      </Button>
      <CommandResult result={state} />
    </div>
  );
}
