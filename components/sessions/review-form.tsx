'use client';

import { useActionState, useId } from 'react';
import { reviewSessionAction } from '@/lib/actions/sessions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldFrame } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';

/** Closes the review of a flagged session: what the reviewer found or did, kept with the session. */
export function ReviewForm({ sessionId }: { sessionId: string }) {
  const [state, action, pending] = useActionState(reviewSessionAction, null);
  const noteId = useId();
  const error = fieldError(state, 'note');
  return (
    <form onSubmit={submitWithoutReset(action)} className="mt-3 space-y-3" aria-label="Review">
      <input type="hidden" name="sessionId" value={sessionId} />
      {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
      <FieldFrame
        id={noteId}
        label="Review note"
        error={error}
        hint="What you found or did: driver contacted, card blocked, session written off …"
      >
        <textarea
          id={noteId}
          name="note"
          rows={2}
          maxLength={500}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${noteId}-error` : undefined}
          className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-xs ${
            error ? 'border-rose-400' : 'border-slate-300'
          }`}
        />
      </FieldFrame>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Saving…' : 'Mark reviewed'}
      </Button>
    </form>
  );
}
