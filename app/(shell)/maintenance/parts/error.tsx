'use client';

import { useRouter } from 'next/navigation';
import { startTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** Shown when a spare parts page fails to load; the details are in the server log. */
export default function PartsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  return (
    <div className="space-y-3">
      <Alert tone="error">The spare parts could not be loaded. Try again in a moment.</Alert>
      <Button
        variant="secondary"
        onClick={() =>
          // Refetch the server components, then render the page again.
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
