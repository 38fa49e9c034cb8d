'use client';

import { useRouter } from 'next/navigation';
import { startTransition } from 'react';
import { Alert } from './alert';
import { Button } from './button';

/** A route's loading placeholder (loading.tsx). */
export function RouteLoading({ label }: { label: string }) {
  return (
    <div className="space-y-4" aria-busy="true" aria-label={label}>
      <div className="h-10 w-full max-w-sm animate-pulse rounded-md bg-slate-200" />
      <div className="h-64 animate-pulse rounded-xl bg-slate-100" />
    </div>
  );
}

/** A route's error state (error.tsx): what failed, and a retry that refetches the server components. */
export function RouteError({ message, reset }: { message: string; reset: () => void }) {
  const router = useRouter();
  return (
    <div className="space-y-3">
      <Alert tone="error">{message}</Alert>
      <Button
        variant="secondary"
        onClick={() =>
          startTransition(() => {
            router.refresh();
            reset();
          })
        }
      >
        Try again
      </Button>
    </div>
  );
}
