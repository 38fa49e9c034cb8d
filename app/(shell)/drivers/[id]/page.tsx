import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DriverBilling } from '@/components/billing/driver-billing';
import { DriverDialog } from '@/components/drivers/driver-dialog';
import { TokenDialog } from '@/components/drivers/token-dialog';
import { BlockDriverTokens } from '@/components/drivers/token-actions';
import { TokensTable } from '@/components/drivers/tokens-table';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb, type Db } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { AppError } from '@/lib/errors';
import { driverWithAccount } from '@/lib/services/billing';
import { getDriver, listTokens } from '@/lib/services/drivers';
import { listInvoices } from '@/lib/services/invoices';
import { listSites } from '@/lib/services/sites';
import { driverStatement } from '@/lib/services/statements';
import type { SessionUser } from '@/lib/services/users';

export const metadata: Metadata = { title: 'Driver' };

/** The calendar month before the current one in a zone, as 'YYYY-MM-DD' days. */
function previousMonthIn(timeZone: string, now: Date): { from: string; to: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
  }).formatToParts(now);
  const year = Number(parts.find((p) => p.type === 'year')?.value);
  const month = Number(parts.find((p) => p.type === 'month')?.value);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  // Month indexes from 0: day 1 of (month - 2) is the first of the previous month, day 0 of (month - 1) its last.
  return {
    from: day(new Date(Date.UTC(year, month - 2, 1))),
    to: day(new Date(Date.UTC(year, month - 1, 0))),
  };
}

/** What the Billing card shows: the account, the balance now (or why not), the invoices, the sites' zones. */
async function loadBilling(db: Db, user: SessionUser, driverId: string) {
  const [account, invoices, sites] = await Promise.all([
    driverWithAccount(db, user, driverId),
    listInvoices(db, user, { driverId }),
    listSites(db, user),
  ]);
  // The organisation's first site's zone is the default; UTC always offered.
  const zones = new Map<string, string[]>();
  for (const site of sites) zones.set(site.timezone, [...(zones.get(site.timezone) ?? []), site.name]);
  if (!zones.has('UTC')) zones.set('UTC', []);
  const defaultZone = sites[0]?.timezone ?? 'UTC';
  const defaultPeriod = previousMonthIn(defaultZone, new Date());
  // The balance comes with a statement, which a manager is refused for a driver who charged elsewhere.
  const statement = await driverStatement(db, user, driverId, {
    ...defaultPeriod,
    timeZone: defaultZone,
  }).catch((error: unknown) => {
    if (error instanceof AppError) return error.message;
    throw error;
  });
  return {
    account:
      account.method && account.currency
        ? {
            method: account.method,
            currency: account.currency,
            cardLabel: account.cardLabel,
            customerRef: account.customerRef,
            paymentMethodRef: account.paymentMethodRef,
          }
        : null,
    balance:
      typeof statement === 'string'
        ? null
        : { amount: statement.account.balance, currency: statement.currency },
    balanceError: typeof statement === 'string' ? statement : null,
    invoices: invoices.map((i) => ({
      id: i.id,
      documentNumber: i.documentNumber,
      periodFrom: i.periodFrom,
      periodTo: i.periodTo,
      total: i.total,
      currency: i.currency,
      cdrCount: i.cdrCount,
      paymentStatus: i.paymentStatus,
      issuedAt: i.issuedAt,
    })),
    defaultPeriod,
    defaultZone,
    zones: [...zones].map(([zone, names]) => ({
      zone,
      label: names.length > 0 ? `${zone.replaceAll('_', ' ')} · ${names.join(', ')}` : zone,
    })),
  };
}

export default async function DriverPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('drivers:view');
  const { id } = await params;
  const db = getDb();
  const driver = await getDriver(db, user, id).catch((error: unknown) => {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  });
  const tokens = await listTokens(db, user, { driverId: driver.id });
  const canManage = roleCan(user.role, 'drivers:manage');
  const billing = roleCan(user.role, 'billing:view') ? await loadBilling(db, user, driver.id) : null;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/drivers" className="hover:underline">
              Drivers
            </Link>
          </p>
          <h2 className="mt-1 text-xl font-semibold text-slate-900">{driver.name}</h2>
          <p className="text-sm text-slate-600">
            {[driver.email, driver.phone, driver.company].filter(Boolean).join(' · ') || 'No contact details'}
          </p>
        </div>
        {canManage ? <DriverDialog driver={driver} /> : null}
      </div>
      <Card
        title="Tokens"
        actions={
          canManage ? (
            <span className="flex flex-wrap items-center gap-2">
              {tokens.some((t) => t.status !== 'blocked') ? (
                <BlockDriverTokens driverId={driver.id} name={driver.name} />
              ) : null}
              <TokenDialog driverId={driver.id} />
            </span>
          ) : null
        }
      >
        {tokens.length === 0 ? (
          <p className="text-sm text-slate-600">No token yet: this driver cannot start a session.</p>
        ) : (
          <TokensTable tokens={tokens.map(({ driverName: _driverName, ...t }) => t)} canManage={canManage} />
        )}
      </Card>
      <Card
        title="Groups"
        actions={
          <Link href="/drivers/groups" className="text-brand-700 text-sm hover:underline">
            Manage groups
          </Link>
        }
      >
        {driver.groups.length === 0 ? (
          <p className="text-sm text-slate-600">
            In no group: this driver may charge only at public stations.
          </p>
        ) : (
          <span className="flex flex-wrap gap-2">
            {driver.groups.map((g) => (
              <Link key={g.id} href={`/drivers/groups/${g.id}`}>
                <Badge tone="blue">{g.name}</Badge>
              </Link>
            ))}
          </span>
        )}
      </Card>
      {billing ? (
        <DriverBilling
          driver={{ id: driver.id, name: driver.name }}
          canManage={roleCan(user.role, 'billing:manage')}
          {...billing}
        />
      ) : null}
    </div>
  );
}
