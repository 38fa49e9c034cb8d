'use client';

import { useActionState } from 'react';
import { changePasswordAction } from '@/lib/actions/auth';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';

export function ChangePasswordForm() {
  const [result, action, pending] = useActionState(changePasswordAction, null);
  const fieldErrors = result && !result.ok ? result.fieldErrors : undefined;
  return (
    <form action={action} className="max-w-sm space-y-4" noValidate>
      {result && !result.ok ? <Alert tone="error">{result.error}</Alert> : null}
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        error={fieldErrors?.currentPassword}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters"
        error={fieldErrors?.newPassword}
      />
      <TextField
        label="Repeat new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        error={fieldErrors?.confirmPassword}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Change password'}
      </Button>
    </form>
  );
}
