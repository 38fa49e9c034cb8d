'use client';

import { useActionState, useState } from 'react';
import { signWorkOrderAction } from '@/lib/actions/maintenance';
import { Button } from '@/components/ui/button';
import { fieldError, submitWithoutReset, resilient } from '@/components/ui/form-state';
import { SignaturePad } from './signature-pad';

// A lost connection comes back as an error next to the form, keeping what was typed.
const safeSignWorkOrderAction = resilient(signWorkOrderAction);

/** The site contact signs on the phone as proof of the repair; their name goes with it. */
export function SignatureForm({ workOrderId, signedBy }: { workOrderId: string; signedBy: string | null }) {
  const [state, action, pending] = useActionState(safeSignWorkOrderAction, null);
  const [name, setName] = useState('');
  const [png, setPng] = useState<string | null>(null);
  return (
    <form onSubmit={submitWithoutReset(action)} className="space-y-3" noValidate>
      <input type="hidden" name="id" value={workOrderId} />
      <input type="hidden" name="png" value={png ?? ''} />
      {signedBy ? (
        <p className="text-sm text-slate-600">Signed by {signedBy}. A new signature replaces it.</p>
      ) : null}
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Name of the person signing</span>
        <input
          name="signerName"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
          className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 px-3 text-base"
          aria-invalid={fieldError(state, 'signerName') ? true : undefined}
        />
        {fieldError(state, 'signerName') ? (
          <span className="mt-1 block text-sm text-rose-600">{fieldError(state, 'signerName')}</span>
        ) : null}
      </label>
      <SignaturePad label="Site contact signature" onChange={setPng} />
      {fieldError(state, 'png') ? <p className="text-sm text-rose-600">{fieldError(state, 'png')}</p> : null}
      {state && !state.ok && !state.fieldErrors ? (
        <p className="text-sm text-rose-600" role="alert">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? (
        <p className="text-sm text-emerald-700" role="status">
          {state.message}
        </p>
      ) : null}
      <Button type="submit" className="min-h-12 w-full" disabled={pending || !png || name.trim() === ''}>
        {pending ? 'Saving…' : 'Save signature'}
      </Button>
    </form>
  );
}
