import type { ActionResult } from '@/lib/actions/define-action';

/**
 * The form-level message to show above a form: the error when the server named no field, or named
 * one this form has no place for (so that no refusal goes unseen).
 */
export function formError(
  state: ActionResult<unknown> | null,
  shownFields: readonly string[],
): string | null {
  if (!state || state.ok) return null;
  const fields = Object.keys(state.fieldErrors ?? {});
  if (fields.length === 0) return state.error;
  const unshown = fields.filter((f) => !shownFields.includes(f));
  return unshown.length ? (state.fieldErrors?.[unshown[0]!] ?? state.error) : null;
}
