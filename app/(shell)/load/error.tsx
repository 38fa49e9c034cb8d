'use client';

import { RouteError } from '@/components/ui/route-states';

export default function LoadError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <RouteError
      message="This page could not be loaded. Try again in a moment; the details are in the server log."
      reset={reset}
    />
  );
}
