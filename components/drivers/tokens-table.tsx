import Link from 'next/link';
import type { IdToken } from '@/lib/db/schema';
import { formatInZone } from '@/components/stations/format';
import { TokenActions } from './token-actions';
import { TokenDialog } from './token-dialog';
import { TokenStatus } from './token-status';

const kindLabels: Record<string, string> = { rfid: 'RFID card', app: 'App token', key_fob: 'Key fob' };

/** Tokens with their status, expiry and (on the tokens page) their driver; block/unblock for managers. */
export function TokensTable({
  tokens,
  canManage,
  drivers,
}: {
  tokens: (IdToken & { driverName?: string | null })[];
  canManage: boolean;
  /** Drivers a token can be given to when edited; without them it stays with its driver. */
  drivers?: { id: string; name: string }[];
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-sm">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th className="pb-2 font-medium">Token</th>
            <th className="pb-2 font-medium">Kind</th>
            {tokens.some((t) => t.driverName !== undefined) ? (
              <th className="pb-2 font-medium">Driver</th>
            ) : null}
            <th className="pb-2 font-medium">Status</th>
            <th className="pb-2 font-medium">Expires</th>
            <th className="pb-2" />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tokens.map((t) => (
            <tr key={t.id} data-testid="token-row" data-token={t.idToken}>
              <td className="py-2 pr-3">
                <span className="font-mono text-xs">{t.idToken}</span>
                {t.label ? <span className="block text-xs text-slate-500">{t.label}</span> : null}
              </td>
              <td className="py-2 pr-3">
                {kindLabels[t.kind] ?? t.kind}
                <span className="block text-xs text-slate-500">{t.ocppType}</span>
              </td>
              {t.driverName !== undefined ? (
                <td className="py-2 pr-3">
                  {t.driverId ? (
                    <Link href={`/drivers/${t.driverId}`} className="hover:underline">
                      {t.driverName}
                    </Link>
                  ) : (
                    <span className="text-slate-400">Not given out</span>
                  )}
                </td>
              ) : null}
              <td className="py-2 pr-3">
                <TokenStatus status={t.status} expiresAt={t.expiresAt} />
                {t.status === 'blocked' && t.blockedReason ? (
                  <span className="block text-xs text-slate-600">{t.blockedReason}</span>
                ) : null}
              </td>
              <td className="py-2 pr-3 text-slate-600">
                {t.expiresAt ? formatInZone(t.expiresAt, null) : 'Never'}
              </td>
              <td className="py-2 text-right">
                {canManage ? (
                  <span className="inline-flex">
                    <TokenDialog token={t} drivers={drivers} driverId={t.driverId ?? undefined} />
                    <TokenActions id={t.id} idToken={t.idToken} status={t.status} />
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
