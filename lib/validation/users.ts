import { z } from 'zod';
import { roles } from '@/lib/domain/access/roles';

const email = z
  .email('Enter a valid email address')
  .max(254)
  .transform((v) => v.toLowerCase());
const name = z.string().trim().min(1, 'Enter a name').max(120, 'At most 120 characters');
export const newPassword = z
  .string()
  .min(12, 'Use at least 12 characters')
  .max(200, 'At most 200 characters');
const siteIds = z.array(z.uuid()).max(500).default([]);

export const signInInput = z.object({
  email: z.string().trim().min(1, 'Enter your email').max(254),
  password: z.string().min(1, 'Enter your password').max(200),
});

export const createUserInput = z
  .object({
    email,
    name,
    role: z.enum(roles, 'Choose a role'),
    siteIds,
    /** Empty means: generate one and show it once. */
    password: z.union([z.literal(''), newPassword]).default(''),
  })
  .refine((v) => v.role === 'admin' || v.siteIds.length > 0, {
    path: ['siteIds'],
    message: 'Choose at least one site for a manager or technician',
  });
export type CreateUserInput = z.input<typeof createUserInput>;

export const updateUserInput = z
  .object({
    id: z.uuid(),
    name,
    role: z.enum(roles, 'Choose a role'),
    siteIds,
  })
  .refine((v) => v.role === 'admin' || v.siteIds.length > 0, {
    path: ['siteIds'],
    message: 'Choose at least one site for a manager or technician',
  });
export type UpdateUserInput = z.input<typeof updateUserInput>;

export const userIdInput = z.object({ id: z.uuid() });

export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password').max(200),
    newPassword,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match',
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ['newPassword'],
    message: 'Choose a password different from the current one',
  });
