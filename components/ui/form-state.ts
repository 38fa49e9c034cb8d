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
    const formData = new FormData(event.currentTarget);
    startTransition(() => action(formData));
  };
}
