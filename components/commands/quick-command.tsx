'use client';

import { startTransition, useActionState } from 'react';
import { sendCommandAction } from '@/lib/actions/commands';
import { Button, type ButtonVariant } from '@/components/ui/button';
import { CommandResult } from './command-form';

/** One button that sends one fixed command (read configuration, apply a wanted value ...). */
export function QuickCommand({
  stationId,
  fields,
  label,
  pendingLabel = 'Waiting for the station…',
  variant = 'secondary',
}: {
  stationId: string;
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  variant?: ButtonVariant;
}) {
  const [state, dispatch, pending] = useActionState(sendCommandAction, null);
  return (
    <div className="flex flex-col items-start gap-2">
      <Button
        variant={variant}
        disabled={pending}
        onClick={() => {
          const formData = new FormData();
          formData.set('stationId', stationId);
          for (const [name, value] of Object.entries(fields)) formData.set(name, value);
          startTransition(() => dispatch(formData));
        }}
      >
        {pending ? pendingLabel : label}
      </Button>
      <CommandResult result={state} />
    </div>
  );
}
