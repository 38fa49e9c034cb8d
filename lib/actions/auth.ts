'use server';

import { AuthError } from 'next-auth';
import { redirect } from 'next/navigation';
import { signIn, signOut } from '@/lib/auth/config';
import { getDb } from '@/lib/db';
import { changeOwnPassword } from '@/lib/services/users';
import { changePasswordInput, signInInput } from '@/lib/validation/users';
import { defineFormAction, type ActionResult } from './define-action';
import { fieldErrorsOf } from '@/lib/validation/fields';
import { formDataToObject } from './form-data';

/** Only same-site relative paths are followed after sign-in (no open redirect). */
function safeCallback(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export async function signInAction(
  _previous: ActionResult | null,
  formData: FormData,
): Promise<ActionResult> {
  const raw = formDataToObject(formData);
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success)
    return { ok: false, error: 'Enter your email and password', fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await signIn('credentials', { ...parsed.data, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      return {
        ok: false,
        error:
          code === 'too_many_attempts'
            ? 'Too many failed attempts for this account. Wait 15 minutes and try again.'
            : 'Wrong email or password',
      };
    }
    throw error;
  }
  redirect(safeCallback(raw.callbackUrl));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/login' });
}

export const changePasswordAction = defineFormAction({
  name: 'changePassword',
  permission: 'account:manage-own',
  allowDuringPasswordChange: true,
  schema: changePasswordInput,
  run: async (user, input) => {
    await changeOwnPassword(getDb(), user, input);
    // The change ended every session of this user, this one included: start a fresh one.
    await signIn('credentials', { email: user.email, password: input.newPassword, redirect: false });
    // The new session cookie makes Next re-render the page, which would drop this action's result:
    // the confirmation travels in the URL instead.
    redirect('/account?password=changed');
  },
});
