import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import {
  configurationDefaults,
  sites,
  stationCommands,
  stationVariables,
  type StationVariable,
} from '@/lib/db/schema';
import { canAccessSite, type Principal } from '@/lib/domain/access/roles';
import {
  configurationDrift,
  keyProblem,
  recommendedDefaults,
  resolveDefaults,
  type ConfigurableVersion,
  type ConfigurationSetting,
  type DriftRow,
} from '@/lib/domain/configuration/defaults';
import { formatVariableKey } from '@/lib/domain/configuration/keys';
import type { ReportedVariable } from '@/lib/commands/types';
import { forbiddenError, invalid, notFound } from '@/lib/errors';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { getStation } from './stations';
import { actorOf, type SessionUser } from './users';

/**
 * Station configuration as reported (1.6 keys, 2.0.1 device model) and the defaults ChargeOps
 * applies after boot: organisation-wide, overridden per site.
 */

/**
 * Upserts reported values. `replaceKeys` (a full read) also drops what the station no longer
 * reports: 1.6 keys for a GetConfiguration of every key, the whole device model for a base report.
 * A value whose read-only flag the answer does not state keeps the flag it had.
 */
export async function storeReportedVariables(
  tx: DbOrTx,
  stationId: string,
  variables: readonly ReportedVariable[],
  now: Date,
  options: { replaceKeys?: boolean } = {},
): Promise<void> {
  if (options.replaceKeys) {
    const deviceModel = variables.some((v) => v.component !== '');
    await tx
      .delete(stationVariables)
      .where(
        and(
          eq(stationVariables.stationId, stationId),
          deviceModel ? sql`${stationVariables.component} <> ''` : eq(stationVariables.component, ''),
        ),
      );
  }
  // Chunks keep each statement far below the bind-parameter limit of a large device model.
  for (let i = 0; i < variables.length; i += 500) {
    const rows = variables.slice(i, i + 500).map((v) => ({
      stationId,
      component: v.component,
      componentInstance: v.componentInstance,
      evseId: v.evseId,
      connectorId: v.connectorId,
      variable: v.variable,
      variableInstance: v.variableInstance,
      attributeType: v.attributeType,
      value: v.value,
      readonly: v.readonly ?? false,
      mutability: v.mutability ?? null,
      dataType: v.dataType ?? null,
      unit: v.unit ?? null,
      valuesList: v.valuesList ?? null,
      reportedAt: now,
    }));
    const known = (flag: boolean) => rows.filter((_, j) => (variables[i + j]?.readonly !== null) === flag);
    const withFlag = known(true);
    const withoutFlag = known(false);
    if (withFlag.length > 0)
      await tx
        .insert(stationVariables)
        .values(withFlag)
        .onConflictDoUpdate({
          target: [
            stationVariables.stationId,
            stationVariables.component,
            stationVariables.componentInstance,
            stationVariables.evseId,
            stationVariables.connectorId,
            stationVariables.variable,
            stationVariables.variableInstance,
            stationVariables.attributeType,
          ],
          set: {
            value: sql`excluded.value`,
            readonly: sql`excluded.readonly`,
            mutability: sql`coalesce(excluded.mutability, ${stationVariables.mutability})`,
            dataType: sql`coalesce(excluded.data_type, ${stationVariables.dataType})`,
            unit: sql`coalesce(excluded.unit, ${stationVariables.unit})`,
            valuesList: sql`coalesce(excluded.values_list, ${stationVariables.valuesList})`,
            reportedAt: sql`excluded.reported_at`,
          },
        });
    if (withoutFlag.length > 0)
      await tx
        .insert(stationVariables)
        .values(withoutFlag)
        .onConflictDoUpdate({
          target: [
            stationVariables.stationId,
            stationVariables.component,
            stationVariables.componentInstance,
            stationVariables.evseId,
            stationVariables.connectorId,
            stationVariables.variable,
            stationVariables.variableInstance,
            stationVariables.attributeType,
          ],
          set: { value: sql`excluded.value`, reportedAt: sql`excluded.reported_at` },
        });
  }
}

/** The key string of a stored value (see lib/domain/configuration/keys.ts). */
export function keyOf(
  v: Pick<
    StationVariable,
    'component' | 'componentInstance' | 'evseId' | 'connectorId' | 'variable' | 'variableInstance'
  >,
): string {
  return formatVariableKey(v);
}

/** The settings ChargeOps wants on a station: its organisation's defaults with its site's on top. */
export async function wantedConfiguration(
  db: DbOrTx,
  station: { organisationId: string; siteId: string | null; ocppVersion: string | null },
): Promise<ConfigurationSetting[]> {
  if (station.ocppVersion !== '1.6' && station.ocppVersion !== '2.0.1') return [];
  const rows = await db
    .select()
    .from(configurationDefaults)
    .where(
      and(
        eq(configurationDefaults.organisationId, station.organisationId),
        eq(configurationDefaults.ocppVersion, station.ocppVersion),
      ),
    );
  const level = (siteId: string | null) =>
    rows.filter((r) => r.siteId === siteId).map((r) => ({ key: r.key, value: r.value }));
  return resolveDefaults(level(null), station.siteId ? level(station.siteId) : []);
}

export interface StationConfiguration {
  ocppVersion: string | null;
  variables: (StationVariable & { key: string })[];
  drift: DriftRow[];
}

/** What the configuration tab shows: every reported value and the drift from the wanted ones. */
export async function getStationConfiguration(
  db: Db,
  actor: SessionUser,
  stationId: string,
): Promise<StationConfiguration> {
  const station = await getStation(db, actor, stationId);
  const rows = await db
    .select()
    .from(stationVariables)
    .where(eq(stationVariables.stationId, stationId))
    .orderBy(
      asc(stationVariables.component),
      asc(stationVariables.componentInstance),
      asc(stationVariables.evseId),
      asc(stationVariables.connectorId),
      asc(stationVariables.variable),
      asc(stationVariables.variableInstance),
      asc(stationVariables.attributeType),
    );
  const variables = rows.map((r) => ({ ...r, key: keyOf(r) }));
  const actual = new Map(
    variables
      .filter((v) => v.attributeType === 'Actual')
      .map((v) => [v.key, { value: v.value, readonly: v.readonly }]),
  );
  const drift = configurationDrift(await wantedConfiguration(db, station), actual);
  return { ocppVersion: station.ocppVersion, variables, drift };
}

/** Gives a new organisation the recommended defaults (lib/domain/configuration/defaults.ts). */
export async function seedRecommendedDefaults(tx: DbOrTx, organisationId: string): Promise<void> {
  const rows = (Object.keys(recommendedDefaults) as ConfigurableVersion[]).flatMap((ocppVersion) =>
    recommendedDefaults[ocppVersion].map((d) => ({
      organisationId,
      ocppVersion,
      key: d.key,
      value: d.value,
    })),
  );
  await tx.insert(configurationDefaults).values(rows).onConflictDoNothing();
}

export interface DefaultsView {
  organisation: (typeof configurationDefaults.$inferSelect)[];
  sites: { id: string; name: string; defaults: (typeof configurationDefaults.$inferSelect)[] }[];
}

/** The organisation's defaults and the overrides of every site the user may see. */
export async function listConfigurationDefaults(db: Db, actor: SessionUser): Promise<DefaultsView> {
  assertCan(actor, 'stations:view');
  const rows = await db
    .select()
    .from(configurationDefaults)
    .where(eq(configurationDefaults.organisationId, actor.organisationId))
    .orderBy(asc(configurationDefaults.ocppVersion), asc(configurationDefaults.key));
  const siteRows = await db
    .select({ id: sites.id, name: sites.name })
    .from(sites)
    .where(eq(sites.organisationId, actor.organisationId))
    .orderBy(asc(sites.name));
  return {
    organisation: rows.filter((r) => r.siteId === null),
    sites: siteRows
      .filter((s) => canAccessSite(actor, s.id))
      .map((s) => ({ ...s, defaults: rows.filter((r) => r.siteId === s.id) })),
  };
}

/** Checks who may change defaults at a level: admins the organisation's, managers their sites'. */
async function assertCanEditLevel(db: Db, actor: Principal, siteId: string | null): Promise<void> {
  if (siteId === null) {
    assertCan(actor, 'configuration:manage');
    return;
  }
  assertCan(actor, 'stations:manage');
  const [site] = await db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.id, siteId), eq(sites.organisationId, actor.organisationId)));
  if (!site) throw notFound('Site');
  if (!canAccessSite(actor, siteId)) throw forbiddenError();
}

/** Sets (adds or changes) one default; applied to stations at their next boot. */
export async function setConfigurationDefault(
  db: Db,
  actor: SessionUser,
  input: { siteId: string | null; ocppVersion: ConfigurableVersion; key: string; value: string },
): Promise<void> {
  await assertCanEditLevel(db, actor, input.siteId);
  const problem = keyProblem(input.ocppVersion, input.key);
  if (problem) throw invalid('Please correct the highlighted fields', { key: `The key ${problem}` });
  await db.transaction(async (tx) => {
    await tx
      .insert(configurationDefaults)
      .values({ organisationId: actor.organisationId, ...input, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: [
          configurationDefaults.organisationId,
          configurationDefaults.ocppVersion,
          configurationDefaults.key,
          configurationDefaults.siteId,
        ],
        set: { value: input.value, updatedAt: new Date() },
      });
    await recordAudit(tx, actorOf(actor), {
      action: 'configuration-default.set',
      targetType: input.siteId ? 'site' : 'organisation',
      targetId: input.siteId ?? actor.organisationId,
      details: { ocppVersion: input.ocppVersion, key: input.key, value: input.value },
    });
  });
}

/** Removes one default (a site override falls back to the organisation's value). */
export async function removeConfigurationDefault(db: Db, actor: SessionUser, id: string): Promise<void> {
  const [row] = await db
    .select()
    .from(configurationDefaults)
    .where(
      and(eq(configurationDefaults.id, id), eq(configurationDefaults.organisationId, actor.organisationId)),
    );
  if (!row) throw notFound('Default');
  await assertCanEditLevel(db, actor, row.siteId);
  await db.transaction(async (tx) => {
    await tx.delete(configurationDefaults).where(eq(configurationDefaults.id, id));
    await recordAudit(tx, actorOf(actor), {
      action: 'configuration-default.remove',
      targetType: row.siteId ? 'site' : 'organisation',
      targetId: row.siteId ?? actor.organisationId,
      details: { ocppVersion: row.ocppVersion, key: row.key, value: row.value },
    });
  });
}

/** Whether an organisation has any defaults (organisations created before defaults existed get the recommended ones). */
export async function hasConfigurationDefaults(db: DbOrTx, organisationId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: configurationDefaults.id })
    .from(configurationDefaults)
    .where(
      and(eq(configurationDefaults.organisationId, organisationId), isNull(configurationDefaults.siteId)),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * One part of a 2.0.1 NotifyReport. The first part of a full base report that ChargeOps asked for
 * replaces the stored device model; other reports add to it.
 */
export async function recordDeviceModelReport(
  db: Db,
  stationId: string,
  report: { requestId: number; seqNo: number; variables: ReportedVariable[] },
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    let replace = false;
    if (report.seqNo === 0) {
      const [command] = await tx
        .select({ kind: stationCommands.kind, params: stationCommands.params })
        .from(stationCommands)
        .where(
          and(eq(stationCommands.stationId, stationId), eq(stationCommands.requestId, report.requestId)),
        );
      replace = command?.kind === 'get-base-report' && command.params.report === 'full';
    }
    await storeReportedVariables(tx, stationId, report.variables, now, { replaceKeys: replace });
  });
}
