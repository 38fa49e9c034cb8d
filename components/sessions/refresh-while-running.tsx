'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Refreshes a running session's page every minute: its duration, and a cost that grows with time
 * (per-minute and idle prices), change between the charger's meter values, which refresh the page
 * by themselves (LiveProvider). Skipped while the browser is offline, as the live refreshes are.
 */
export function RefreshWhileRunning({ everyMs = 60_000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (navigator.onLine) router.refresh();
    }, everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
