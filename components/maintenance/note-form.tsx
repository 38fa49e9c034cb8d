'use client';

import { useActionState, useState } from 'react';
import { addNoteAction } from '@/lib/actions/maintenance';
import { Button } from '@/components/ui/button';
import { fieldError, submitWithoutReset, resilient } from '@/components/ui/form-state';
import { useDraft } from '@/components/ui/use-draft';

// A lost connection comes back as an error next to the form, keeping what was typed.
const safeAddNoteAction = resilient(addNoteAction);

/** Adds a note to a work order; the text stays in place until the server has saved it. */
export function NoteForm({ workOrderId, large = false }: { workOrderId: string; large?: boolean }) {
  const [state, action, pending] = useActionState(safeAddNoteAction, null);
  // Kept in the browser as it is typed, so neither a failed submit nor a reload loses it.
  const { value: text, setValue: setText, clear } = useDraft(`chargeops:note:${workOrderId}`);
  const [savedWith, setSavedWith] = useState(state);
  // A new successful answer means the note was saved: clear the box (derived, not in an effect).
  if (state !== savedWith) {
    setSavedWith(state);
    if (state?.ok) clear();
  }
  const error = state && !state.ok ? (fieldError(state, 'note') ?? state.error) : null;
  return (
    <form onSubmit={submitWithoutReset(action)} className="space-y-2">
      <input type="hidden" name="id" value={workOrderId} />
      <label htmlFor={`note-${workOrderId}`} className="block text-sm font-medium text-slate-700">
        Add a note
      </label>
      <textarea
        id={`note-${workOrderId}`}
        name="note"
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="What you found, what you did, what is still needed"
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-xs sm:text-sm"
        aria-invalid={error ? true : undefined}
      />
      {error ? (
        <p className="text-sm text-rose-600" role="alert">
          {error}
        </p>
      ) : null}
      <Button
        type="submit"
        variant="secondary"
        disabled={pending || text.trim() === ''}
        className={large ? 'min-h-11 w-full' : ''}
      >
        {pending ? 'Saving…' : 'Add note'}
      </Button>
    </form>
  );
}
