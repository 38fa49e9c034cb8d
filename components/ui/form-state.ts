import { startTransition, type FormEvent } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';

/** The message for one field from an action result, if the action refused it. */
export function fieldError(state: ActionResult<unknown> | null, field: string): string | undefined {
  return state && !state.ok ? state.fieldErrors?.[field] : undefined;
}

/**
 * An onSubmit handler that sends the form to a useActionState action without React's automatic
 * form reset, so typed values stay in place when the server answers with field errors.
 */
export function submitWithoutReset(action: (formData: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // With the button that submitted it, so `name`/`value` on a button say which one was pressed.
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    startTransition(() => action(formData));
  };
}

/**
 * Moves a `<input type="datetime-local">` field (`from`, no zone: the operator's browser zone is
 * meant) into `to` as an ISO instant, which the server's schemas expect. An empty field sends nothing.
 */
export function localTimeToIso(formData: FormData, from: string, to: string): void {
  const local = formData.get(from);
  formData.delete(from);
  if (typeof local === 'string' && local) formData.set(to, new Date(local).toISOString());
}

/**
 * Wraps a server action for useActionState so that a failed request (no signal, server restarting)
 * comes back as an error result instead of throwing into the error boundary: the form, and what was
 * typed in it, stay on screen for another try.
 */
export function resilient<T>(
  action: (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>,
): (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>> {
  const unreachable = {
    ok: false,
    error: 'ChargeOps could not be reached (no signal?). Nothing was lost: try again in a moment.',
  } as const;
  return async (previous, formData) => {
    // Known offline: do not even try (a failed action request can make Next.js reload the page).
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return unreachable;
    try {
      return await action(previous, formData);
    } catch {
      return unreachable;
    }
  };
}
