'use client';

import { useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { submitWithoutReset } from '@/components/ui/form-state';

/**
 * A money-moving form in two steps: the first submit shows what will happen, in words, and only the
 * second one sends the form. The fields stay mounted (hidden) while the summary shows, so Back and
 * a refused submit find everything as it was typed; when the server answers with errors, the form
 * is back on its fields with the errors next to them.
 *
 * `summarise` reads the form; it returns null when the input cannot be summed up (an amount that is
 * not a number, a blank reason): then the form goes straight to the server, which refuses it with
 * the field errors, so the rules stay written once, in the service.
 */
export function useConfirmStep<S>(
  state: S,
  action: (formData: FormData) => void,
  summarise: (formData: FormData) => ReactNode | null,
) {
  // The result the summary was shown with: any newer result (an error) ends the confirm step.
  const [review, setReview] = useState<{ summary: ReactNode; shownWith: S } | null>(null);
  const confirming = review !== null && review.shownWith === state;
  const send = submitWithoutReset(action);
  return {
    confirming,
    summary: confirming && review ? review.summary : null,
    back: () => setReview(null),
    onSubmit: (event: FormEvent<HTMLFormElement>) => {
      if (confirming) return send(event);
      const summary = summarise(new FormData(event.currentTarget));
      if (summary === null) return send(event);
      event.preventDefault();
      setReview({ summary, shownWith: state });
    },
  };
}

/** The buttons under a two-step form: Cancel and Continue, then Back and the confirming button. */
export function ConfirmStepActions({
  confirming,
  pending,
  confirmLabel,
  onBack,
  onCancel,
}: {
  confirming: boolean;
  pending: boolean;
  /** Says what happens: "Record $25.00", "Issue credit note". */
  confirmLabel: string;
  onBack: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="flex flex-wrap justify-end gap-2">
      {confirming ? (
        <>
          <Button variant="secondary" onClick={onBack} disabled={pending}>
            Back
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? 'Working…' : confirmLabel}
          </Button>
        </>
      ) : (
        <>
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            Continue
          </Button>
        </>
      )}
    </div>
  );
}

/** The summary a two-step form asks to confirm. */
export function ConfirmSummary({ children }: { children: ReactNode }) {
  return (
    <div
      role="status"
      className="space-y-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-3 text-sm text-amber-900"
    >
      {children}
    </div>
  );
}
