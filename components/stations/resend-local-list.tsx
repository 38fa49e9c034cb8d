'use client';

import { useActionState } from 'react';
import { resendLocalListAction } from '@/lib/actions/stations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** Sends a station its whole local list again (after a controller swap, or to rule out a doubt). */
export function ResendLocalList({ stationId, again }: { stationId: string; again: boolean }) {
  const [result, resend, sending] = useActionState(resendLocalListAction, null);
  return (
    <form action={resend} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="id" value={stationId} />
      <Button type="submit" variant="secondary" disabled={sending}>
        {sending ? 'Asking…' : again ? 'Send the full list again' : 'Send the full list'}
      </Button>
      {result ? (
        <Alert tone={result.ok ? 'success' : 'error'}>{result.ok ? result.message : result.error}</Alert>
      ) : null}
    </form>
  );
}
