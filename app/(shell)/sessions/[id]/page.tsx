import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatInZone, formatPowerW } from '@/components/stations/format';
import { formatDuration, formatEnergyWh } from '@/components/stations/format-session';
import { PowerChart } from '@/components/stations/power-chart';
import { Badge } from '@/components/ui/badge';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { toPowerPoints } from '@/lib/domain/metering/points';
import { roleCan } from '@/lib/domain/access/roles';
import { AppError } from '@/lib/errors';
import { getSession, type SessionSummary } from '@/lib/services/sessions';
import { listAuthorizationAttempts, type AuthorizationAttemptRow } from '@/lib/services/authorization-log';
import { describeSessionFlag } from '@/lib/domain/sessions/flags';
import { RefreshWhileRunning } from '@/components/sessions/refresh-while-running';
import { ReviewForm } from '@/components/sessions/review-form';
import { sessionCost, type SessionCost } from '@/lib/services/billing';
import { CostLines } from '@/components/billing/cost-lines';
import { paymentLabels, paymentTones } from '@/components/billing/payment-status';
import { formatMoney } from '@/lib/domain/pricing/money';

export const metadata: Metadata = { title: 'Session' };

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('stations:view');
  const canSeeLog = roleCan(user.role, 'drivers:view');
  const { id } = await params;
  let loaded;
  try {
    loaded = await getSession(getDb(), user, id);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  }
  const { session, samples, peakPowerW, reviewerName } = loaded;
  const zone = session.siteTimezone ?? 'UTC';
  const points = toPowerPoints(samples, session.meterStartWh);
  const lastSoc = [...samples].reverse().find((s) => s.measurand === 'SoC');
  const [cost, attempts] = await Promise.all([
    roleCan(user.role, 'billing:view') ? sessionCost(getDb(), user, session.id, new Date()) : null,
    canSeeLog
      ? listAuthorizationAttempts(getDb(), user, { transactionId: session.id, limit: 20 }).then(
          (r) => r.attempts,
        )
      : null,
  ]);

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link href="/sessions" className="hover:underline">
            Sessions
          </Link>{' '}
          ·{' '}
          <Link href={`/stations/${session.stationId}`} className="hover:underline">
            {session.stationIdentity}
          </Link>
          {session.siteName ? ` · ${session.siteName}` : ''}
        </p>
        <h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
          Session {session.chargerTransactionId}
          {session.status === 'active' ? (
            <Badge tone="blue">In progress</Badge>
          ) : (
            <Badge tone="slate">Completed</Badge>
          )}
        </h1>
      </div>

      {session.flags.length > 0 ? (
        <ReviewSection
          session={session}
          reviewerName={reviewerName}
          canReview={roleCan(user.role, 'stations:manage')}
          zone={zone}
        />
      ) : null}

      <section aria-label="Summary" className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        {[
          ['Energy', formatEnergyWh(session.energyWh)],
          [
            'Duration',
            formatDuration(
              session.startedAt,
              session.stoppedAt ?? (session.status === 'active' ? new Date() : null),
            ),
          ],
          ['Peak power', formatPowerW(peakPowerW === null ? null : Math.round(peakPowerW))],
          ['State of charge', lastSoc ? `${Math.round(lastSoc.value)} %` : '—'],
        ].map(([label, value]) => (
          <div key={label} className="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
            <p className="text-xs text-slate-500">{label}</p>
            <p className="mt-1 text-xl font-semibold text-slate-900">{value}</p>
          </div>
        ))}
      </section>

      {cost ? <CostSection cost={cost} /> : null}
      {session.status === 'active' ? <RefreshWhileRunning /> : null}

      <section
        aria-label="Power and energy"
        className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs"
      >
        <h2 className="mb-3 font-semibold">Power and energy</h2>
        {points.length > 1 ? (
          <PowerChart points={points} timeZone={zone} />
        ) : (
          <p className="text-sm text-slate-600">Not enough meter values for a chart.</p>
        )}
      </section>

      {attempts ? <AttemptsSection sessionId={session.id} attempts={attempts} zone={zone} /> : null}

      <section aria-label="Details" className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
        <h2 className="mb-3 font-semibold">Details</h2>
        <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm sm:grid-cols-[9rem_1fr_9rem_1fr]">
          <dt className="text-slate-500">Started</dt>
          <dd>{formatInZone(session.startedAt, zone)}</dd>
          <dt className="text-slate-500">Stopped</dt>
          <dd>{formatInZone(session.stoppedAt, zone)}</dd>
          <dt className="text-slate-500">EVSE</dt>
          <dd>#{session.evseId}</dd>
          <dt className="text-slate-500">Id token</dt>
          <dd>
            {session.idToken ?? '—'}{' '}
            {session.idTokenType ? <span className="text-slate-500">({session.idTokenType})</span> : null}
            {session.idToken && canSeeLog ? (
              <Link
                href={`/drivers/log?idToken=${encodeURIComponent(session.idToken)}`}
                className="text-brand-700 ml-2 hover:underline"
              >
                All attempts of this token
              </Link>
            ) : null}
          </dd>
          <dt className="text-slate-500">Meter start</dt>
          <dd>
            {session.meterStartWh === null ? '—' : `${session.meterStartWh.toLocaleString('en-US')} Wh`}
          </dd>
          <dt className="text-slate-500">Meter stop</dt>
          <dd>{session.meterStopWh === null ? '—' : `${session.meterStopWh.toLocaleString('en-US')} Wh`}</dd>
          <dt className="text-slate-500">Stop reason</dt>
          <dd>{session.stopReason ?? '—'}</dd>
          <dt className="text-slate-500">OCPP</dt>
          <dd>
            {session.ocppVersion}
            {session.offline ? ' · sent partly offline' : ''}
          </dd>
        </dl>
      </section>
    </div>
  );
}

/** The bill: final (the CDR) or running, updated live as meter values arrive. */
function CostSection({ cost }: { cost: SessionCost }) {
  if (cost.kind === 'none')
    return (
      <section
        aria-label="Cost"
        className="rounded-xl border border-slate-200 bg-white p-5 text-sm shadow-xs"
      >
        <h2 className="mb-1 font-semibold">Cost</h2>
        <p className="text-slate-600">No tariff applies to this session.</p>
      </section>
    );
  const final = cost.kind === 'final';
  const breakdown = final ? cost.cdr : cost.cost;
  return (
    <section aria-label="Cost" className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold">
          {final ? 'Charge detail record' : 'Running cost'}{' '}
          <span className="text-brand-700 ml-1 text-xl tabular-nums" data-testid="session-cost">
            {formatMoney(breakdown.total, breakdown.currency)}
          </span>
        </h2>
        {final ? (
          <span className="flex items-center gap-2 text-sm">
            <Badge tone={paymentTones[cost.cdr.paymentStatus] ?? 'slate'}>
              {paymentLabels[cost.cdr.paymentStatus] ?? cost.cdr.paymentStatus}
            </Badge>
            <Link href={`/billing/cdrs/${cost.cdr.id}`} className="text-brand-700 hover:underline">
              Record {cost.cdr.number}
            </Link>
          </span>
        ) : (
          <span className="text-xs text-slate-500">so far, updated as the charger reports</span>
        )}
      </div>
      <p className="mb-3 text-sm text-slate-600">
        Tariff{' '}
        <span className="font-medium text-slate-800">{final ? cost.cdr.tariffName : cost.tariffName}</span> —{' '}
        {final ? cost.cdr.tariffReason : cost.reason}
        {final ? null : <span className="block text-xs text-slate-500">{cost.priceText}</span>}
      </p>
      {final && cost.cdr.paymentError ? (
        <p className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{cost.cdr.paymentError}</p>
      ) : null}
      <CostLines breakdown={breakdown} />
    </section>
  );
}

/**
 * Why a session is flagged, in words, and its review: the form to close it, or who closed it and
 * what they concluded.
 */
function ReviewSection({
  session,
  reviewerName,
  canReview,
  zone,
}: {
  session: SessionSummary;
  reviewerName: string | null;
  canReview: boolean;
  zone: string;
}) {
  const reviewed = session.reviewedAt !== null;
  return (
    <section
      aria-label="Review"
      className={`rounded-xl border p-4 text-sm ${
        reviewed ? 'border-slate-200 bg-white' : 'border-amber-200 bg-amber-50 text-amber-950'
      }`}
    >
      <h2 className="flex flex-wrap items-center gap-2 font-semibold">
        {reviewed ? 'Reviewed' : 'For review'}
        {reviewed ? <Badge tone="green">Closed</Badge> : <Badge tone="amber">Open</Badge>}
      </h2>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {session.flags.map((flag) => (
          <li key={flag}>{describeSessionFlag(flag).text}.</li>
        ))}
      </ul>
      {reviewed ? (
        <p className="mt-3 text-slate-700">
          {reviewerName ?? 'A former user'}, {formatInZone(session.reviewedAt, zone)}:{' '}
          <span className="text-slate-900">{session.reviewNote}</span>
        </p>
      ) : canReview ? (
        <ReviewForm sessionId={session.id} />
      ) : null}
    </section>
  );
}

/** The authorisation decisions taken for this session: "why was this token refused?" at a glance. */
function AttemptsSection({
  sessionId,
  attempts,
  zone,
}: {
  sessionId: string;
  attempts: AuthorizationAttemptRow[];
  zone: string;
}) {
  return (
    <section aria-label="Authorisation" className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold">Authorisation</h2>
        <Link
          href={`/drivers/log?transactionId=${sessionId}`}
          className="text-brand-700 text-sm hover:underline"
        >
          In the authorisation log
        </Link>
      </div>
      {attempts.length === 0 ? (
        <p className="text-sm text-slate-600">
          No decision was asked for this session (a session a charger started on its own, or from before the
          log).
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {attempts.map((a) => (
            <li
              key={a.id}
              className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2"
              data-testid="session-attempt"
            >
              <Badge tone={a.status === 'Accepted' ? 'green' : 'red'}>{a.status}</Badge>
              <span className="min-w-0 flex-1 break-words text-slate-800">{a.reason}</span>
              <span className="text-xs text-slate-500">
                {a.source} · <span className="font-mono">{a.idToken}</span> · {formatInZone(a.at, zone)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
