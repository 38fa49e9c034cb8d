import { revalidatePath } from 'next/cache';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { getCurrentUser } from '@/lib/auth/session';
import { roleCan, type Permission } from '@/lib/domain/access/roles';
import { AppError } from '@/lib/errors';
import { getLogger } from '@/lib/logger';
import type { SessionUser } from '@/lib/services/users';
import { fieldErrorsOf } from '@/lib/validation/fields';
import { formDataToObject } from './form-data';

/** What every server action returns; forms show `error` above and `fieldErrors` next to fields. */
export type ActionResult<T = null> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

interface ActionSpec<S extends z.ZodType, T> {
  /** For logs. */
  name: string;
  /** The permission the caller must hold. */
  permission: Permission;
  schema: S;
  run: (user: SessionUser, input: z.output<S>) => Promise<{ data: T; message?: string }>;
  /** Paths whose server-rendered views change. */
  revalidate?: string[];
  /** Allowed while the user must still replace an admin-set password (only the password change itself). */
  allowDuringPasswordChange?: boolean;
}

/**
 * Builds a form action that does, in this order: session, permission, parse, run, error mapping.
 * Used with useActionState: `(previous, formData) => result`.
 */
export function defineFormAction<S extends z.ZodType, T>(spec: ActionSpec<S, T>) {
  return async (_previous: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, error: 'Your session has ended: sign in again' };
    if (!roleCan(user.role, spec.permission)) return { ok: false, error: 'You are not allowed to do this' };
    if (user.mustChangePassword && !spec.allowDuringPasswordChange) {
      return { ok: false, error: 'Choose your own password first, on the Your account page' };
    }
    const parsed = spec.schema.safeParse(formDataToObject(formData));
    if (!parsed.success) {
      return {
        ok: false,
        error: 'Please correct the highlighted fields',
        fieldErrors: fieldErrorsOf(parsed.error),
      };
    }
    try {
      const { data, message } = await spec.run(user, parsed.data);
      for (const path of spec.revalidate ?? []) revalidatePath(path);
      return { ok: true, data, message };
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof AppError)
        return { ok: false, error: error.message, fieldErrors: error.fieldErrors };
      if (error instanceof z.ZodError) {
        return {
          ok: false,
          error: 'Please correct the highlighted fields',
          fieldErrors: fieldErrorsOf(error),
        };
      }
      getLogger().error({ err: error, action: spec.name, userId: user.id }, 'action failed');
      return { ok: false, error: 'Something went wrong on our side; the change was not saved. Try again.' };
    }
  };
}
