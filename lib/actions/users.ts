'use server';

import { z } from 'zod';
import { getDb } from '@/lib/db';
import { createUser, resetUserPassword, setUserActive, updateUser } from '@/lib/services/users';
import { createUserInput, updateUserInput, userIdInput } from '@/lib/validation/users';
import { defineFormAction } from './define-action';

const usersPage = '/settings/users';

export const createUserAction = defineFormAction({
  name: 'createUser',
  permission: 'users:manage',
  schema: createUserInput,
  revalidate: [usersPage],
  run: async (user, input) => {
    const { user: created, initialPassword } = await createUser(getDb(), user, input);
    return { data: { email: created.email, initialPassword }, message: `${created.name} can now sign in` };
  },
});

export const updateUserAction = defineFormAction({
  name: 'updateUser',
  permission: 'users:manage',
  schema: updateUserInput,
  revalidate: [usersPage],
  run: async (user, input) => {
    await updateUser(getDb(), user, input);
    return { data: null, message: 'Saved' };
  },
});

export const setUserActiveAction = defineFormAction({
  name: 'setUserActive',
  permission: 'users:manage',
  schema: userIdInput.extend({ active: z.enum(['true', 'false']).transform((v) => v === 'true') }),
  revalidate: [usersPage],
  run: async (user, input) => {
    await setUserActive(getDb(), user, input.id, input.active);
    return {
      data: null,
      message: input.active ? 'Account reactivated' : 'Account deactivated; their sessions have ended',
    };
  },
});

export const resetPasswordAction = defineFormAction({
  name: 'resetPassword',
  permission: 'users:manage',
  schema: userIdInput,
  revalidate: [usersPage],
  run: async (user, input) => {
    const password = await resetUserPassword(getDb(), user, input.id);
    return { data: { password }, message: 'Password reset; their sessions have ended' };
  },
});
