'use client';

import { RouteError } from '@/components/ui/route-states';

export default function TechError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <RouteError
      message="Your work orders could not be loaded (a weak signal?). Try again in a moment."
      reset={reset}
    />
  );
}
