import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import {
  chargingStations,
  loadAllocations,
  loadNodes,
  loadOverruns,
  loadSamples,
  loadSetpoints,
  sites,
} from '@/lib/db/schema';
import { allocate, safeDefaultLimits } from '@/lib/domain/load/allocator';
import { resolveNodeLimit } from '@/lib/domain/load/limits';
import {
  allocateNow,
  demandsOf,
  evseSlotsOf,
  measuredPerPhase,
  settledPerPhase,
  type SessionModel,
  planSetpoints,
  idleDefaultLimits,
  stationNodeId,
  stationNodes,
  sumPerPhase,
  wantedSetpoints,
  type SafeAllocation,
  type SetpointModel,
  type SiteModel,
  type WantedSetpoint,
} from '@/lib/domain/load/site-model';
import type { AllocationSnapshot, NodeSnapshot, SessionSnapshot } from '@/lib/domain/load/snapshot';
import type { AllocationNode, AllocationResult, PerPhase } from '@/lib/domain/load/types';
import type { Logger } from 'pino';
import { publish, subscribe } from '@/lib/realtime/bus';
import type { Actor } from '@/lib/services/audit';
import { assertCan } from '@/lib/services/authorize';
import { getStation } from '@/lib/services/stations';
import { actorOf, type SessionUser } from '@/lib/services/users';
import { listManagedSites, loadSiteModel } from '@/lib/services/load-inputs';
import { runCommand, type CommandDeps, type CommandTarget } from './send';
import type { ChargingProfilePurpose } from './types';

/**
 * Load balancing: keeps every load-managed site within the limits of its electrical tree by giving
 * each running session a charging limit (TxProfile), each EVSE a safe offline default
 * (TxDefaultProfile) and pinned stations their maximum (ChargingStationMaxProfile). A site is rerun
 * on session starts, stops and meter values, on configuration changes, when a station connects, and
 * periodically (schedules, stale building readings, retries). Runs of one site never overlap.
 */

/** Profile ids ChargeOps uses: one per purpose and EVSE, so a new limit replaces the old one. */
export function profileIdOf(purpose: ChargingProfilePurpose, evseId: number): number {
  if (purpose === 'ChargingStationMaxProfile') return 9300;
  return (purpose === 'TxDefaultProfile' ? 9100 : 9200) + evseId;
}
const stackLevel = 1;

/**
 * How long a failed limit waits before it is sent again, by attempt: a second at first (a 1.6
 * charger may not know its transaction id yet when the limit for it arrives right after the start),
 * then longer, up to a minute.
 */
export function retryDelayMs(attempts: number): number {
  return attempts <= 1 ? 1_000 : Math.min(60_000, 5_000 * 2 ** (attempts - 2));
}

function systemActor(organisationId: string): Actor {
  return { kind: 'system', label: 'ChargeOps load management', organisationId };
}

/** Sends one limit and records whether the station confirmed it. Returns whether it did. */
async function deliver(
  db: Db,
  target: CommandTarget,
  want: WantedSetpoint,
  deps: CommandDeps,
): Promise<boolean> {
  const now = deps.now();
  const key = { stationId: want.stationId, evseId: want.evseId, purpose: want.purpose };
  const [row] = await db
    .insert(loadSetpoints)
    .values({
      ...key,
      transactionId: want.transactionId,
      limitA: want.limitA,
      state: 'sending',
      attempts: 1,
      sentAt: now,
    })
    .onConflictDoUpdate({
      target: [loadSetpoints.stationId, loadSetpoints.evseId, loadSetpoints.purpose],
      set: {
        transactionId: want.transactionId,
        limitA: want.limitA,
        state: 'sending',
        sentAt: now,
        // A new target starts counting again; the same one counts its retries.
        attempts: sql`case when ${loadSetpoints.transactionId} is not distinct from ${want.transactionId}::uuid and ${loadSetpoints.state} = 'failed' then ${loadSetpoints.attempts} + 1 else 1 end`,
      },
    })
    .returning({ attempts: loadSetpoints.attempts });
  const command = await runCommand(
    db,
    systemActor(target.organisationId),
    target,
    {
      kind: 'set-charging-profile',
      evseId: want.evseId,
      profile: {
        id: profileIdOf(want.purpose, want.evseId),
        stackLevel,
        purpose: want.purpose,
        chargerTransactionId: want.chargerTransactionId,
        limitA: want.limitA,
        numberPhases: want.numberPhases,
        startsAt: now.toISOString(),
      },
    },
    deps,
  ).catch((error: unknown) => ({ status: 'failed' as const, detail: String(error) }));
  const confirmed = command.status === 'accepted';
  const at = deps.now();
  await db
    .update(loadSetpoints)
    .set(
      confirmed
        ? { state: 'confirmed', confirmedAt: at, lastError: null, retryAt: null }
        : {
            state: 'failed',
            lastError: command.detail ?? command.status,
            retryAt: new Date(at.getTime() + retryDelayMs(row?.attempts ?? 1)),
          },
    )
    .where(
      and(
        eq(loadSetpoints.stationId, key.stationId),
        eq(loadSetpoints.evseId, key.evseId),
        eq(loadSetpoints.purpose, key.purpose),
      ),
    );
  return confirmed;
}

async function clearSetpoint(
  db: Db,
  target: CommandTarget,
  held: SetpointModel,
  deps: CommandDeps,
): Promise<void> {
  const command = await runCommand(
    db,
    systemActor(target.organisationId),
    target,
    {
      kind: 'clear-charging-profile',
      profileId: profileIdOf(held.purpose, held.evseId),
      evseId: null,
      purpose: null,
      stackLevel: null,
    },
    deps,
  );
  if (command.status === 'accepted')
    await db
      .delete(loadSetpoints)
      .where(
        and(
          eq(loadSetpoints.stationId, held.stationId),
          eq(loadSetpoints.evseId, held.evseId),
          eq(loadSetpoints.purpose, held.purpose),
        ),
      );
}

/** The allocator's tree for now: the site's nodes with their limits in force, and a node per station. */
export function treeOf(model: SiteModel, now: number): AllocationNode[] {
  return [
    ...model.nodes.map((node) => ({
      id: node.id,
      parentId: node.parentId,
      name: node.name,
      limit: resolveNodeLimit(node, model.timeZone, now, node.id === model.rootId ? model.nonEv : undefined),
    })),
    ...stationNodes(model),
  ];
}

/** What a run decided and did, for tests and logs. */
export interface SiteRun {
  model: SiteModel | null;
  allocation: AllocationResult | null;
  sent: WantedSetpoint[];
  failed: WantedSetpoint[];
}

/** Allocates one site now and sends the limits that changed: lower ones first, then, if they all held, higher ones. */
export async function runSiteAllocation(db: Db, siteId: string, deps: CommandDeps): Promise<SiteRun> {
  const now = deps.now();
  const model = await loadSiteModel(db, siteId, now);
  if (!model) {
    await releaseSite(db, siteId, deps);
    return { model: null, allocation: null, sent: [], failed: [] };
  }
  const tree = treeOf(model, now.getTime());
  const safeNow = allocateNow(tree, model);
  const onceConfirmed = allocate(tree, demandsOf(model, { respectDelivery: false }));
  const defaults = idleDefaultLimits(tree, model, safeNow, safeDefaultLimits(tree, evseSlotsOf(model)));
  const plan = planSetpoints(model, wantedSetpoints(model, safeNow, onceConfirmed, defaults), now.getTime());

  const targets = await targetsOf(db, model);
  const sent: WantedSetpoint[] = [];
  const failed: WantedSetpoint[] = [];
  const send = async (batch: WantedSetpoint[]) =>
    Promise.all(
      batch.map(async (want) => {
        const target = targets.get(want.stationId);
        if (!target) return;
        ((await deliver(db, target, want, deps)) ? sent : failed).push(want);
      }),
    );
  await send(plan.decreases);
  // Raising a limit before the lowered ones hold could overload a node for a moment.
  if (failed.length === 0) await send(plan.increases);
  for (const held of plan.clears) {
    const target = targets.get(held.stationId);
    if (target) await clearSetpoint(db, target, held, deps).catch(() => undefined);
  }

  await recordPicture(db, withDelivered(model, sent, failed, deps.now()), tree, safeNow, defaults, now);
  publish({ type: 'load:updated', organisationId: model.organisationId, siteId });
  return { model, allocation: safeNow.result, sent, failed };
}

/** The model as it stands after this run's limits were answered (the picture is taken after sending). */
function withDelivered(
  model: SiteModel,
  sent: readonly WantedSetpoint[],
  failed: readonly WantedSetpoint[],
  at: Date,
): SiteModel {
  const answered = [...sent, ...failed];
  const same = (p: SetpointModel, w: WantedSetpoint) =>
    p.stationId === w.stationId && p.evseId === w.evseId && p.purpose === w.purpose;
  const now = (w: WantedSetpoint, state: 'confirmed' | 'failed'): SetpointModel => ({
    stationId: w.stationId,
    evseId: w.evseId,
    purpose: w.purpose,
    transactionId: w.transactionId,
    limitA: w.limitA,
    state,
    retryAt: null,
    confirmedAt: state === 'confirmed' ? at.getTime() : null,
  });
  return {
    ...model,
    setpoints: [
      ...model.setpoints.filter((p) => !answered.some((w) => same(p, w))),
      ...sent.map((w) => now(w, 'confirmed')),
      ...failed.map((w) => now(w, 'failed')),
    ],
  };
}

async function targetsOf(db: Db, model: SiteModel): Promise<Map<string, CommandTarget>> {
  const ids = model.stations.map((s) => s.id);
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: chargingStations.id,
      identity: chargingStations.identity,
      organisationId: chargingStations.organisationId,
      siteId: chargingStations.siteId,
    })
    .from(chargingStations)
    .where(inArray(chargingStations.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Load management is off for a site: the limits ChargeOps set are cleared from its stations. */
async function releaseSite(db: Db, siteId: string, deps: CommandDeps): Promise<void> {
  const held = await db
    .select({ setpoint: loadSetpoints, station: chargingStations })
    .from(loadSetpoints)
    .innerJoin(chargingStations, eq(chargingStations.id, loadSetpoints.stationId))
    .where(and(eq(chargingStations.siteId, siteId), eq(chargingStations.online, true)));
  for (const { setpoint, station } of held) {
    await clearSetpoint(
      db,
      station,
      {
        ...setpoint,
        purpose: setpoint.purpose as SetpointModel['purpose'],
        retryAt: null,
        confirmedAt: setpoint.confirmedAt?.getTime() ?? null,
      },
      deps,
    ).catch(() => undefined);
  }
  const removed = await db
    .delete(loadAllocations)
    .where(eq(loadAllocations.siteId, siteId))
    .returning({ siteId: loadAllocations.siteId });
  // Sites that were never managed hear nothing (their session updates bring them here too).
  if (held.length === 0 && removed.length === 0) return;
  const [site] = await db
    .select({ organisationId: sites.organisationId })
    .from(sites)
    .where(eq(sites.id, siteId));
  if (site) publish({ type: 'load:updated', organisationId: site.organisationId, siteId });
}

/**
 * Reads back the limit a station will apply on an EVSE over the next hour (GetCompositeSchedule),
 * for an operator who wants the station's own word for it. Recorded in the command log.
 */
export async function readChargingSchedule(
  db: Db,
  user: SessionUser,
  stationId: string,
  evseId: number,
  deps: CommandDeps,
): Promise<{ status: string; detail: string | null }> {
  assertCan(user, 'load:view');
  const station = await getStation(db, user, stationId);
  const command = await runCommand(
    db,
    actorOf(user),
    {
      id: station.id,
      identity: station.identity,
      organisationId: station.organisationId,
      siteId: station.siteId,
    },
    { kind: 'get-composite-schedule', evseId, durationSeconds: 3600 },
    deps,
  );
  return { status: command.status, detail: command.detail };
}

// --- the picture: snapshot, samples, overruns ------------------------------------------------

const lastSampleAt = new Map<string, number>();
/** One chart row per node this often at most. */
const sampleEveryMs = 5_000;
/** Measured above the limit by more than this counts as a overrun (meters and chargers are not exact). */
const overrunToleranceA = 0.5;

function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** Sum per phase of what is measured under a node (sessions hang from station nodes). */
function measuredUnder(
  model: SiteModel,
  tree: AllocationNode[],
  nodeId: string,
  drawOf: (model: SiteModel, session: SessionModel) => PerPhase | null = measuredPerPhase,
): PerPhase | null {
  const parentOf = new Map(tree.map((n) => [n.id, n.parentId]));
  const under = (start: string) => {
    for (let at: string | null | undefined = start; at; at = parentOf.get(at)) if (at === nodeId) return true;
    return false;
  };
  return sumPerPhase(
    model.sessions.filter((s) => under(stationNodeId(s.stationId))).map((s) => drawOf(model, s)),
  );
}

function snapshotOf(
  model: SiteModel,
  tree: AllocationNode[],
  { demands: steered, result }: SafeAllocation,
  defaults: ReadonlyMap<string, number>,
  now: Date,
): AllocationSnapshot {
  const nodes: NodeSnapshot[] = model.nodes.map((config) => {
    const node = tree.find((n) => n.id === config.id);
    const allocated = result.nodes.find((n) => n.id === config.id);
    const carried = config.phases === 1 ? [0] : [0, 1, 2];
    const measuredA = measuredUnder(model, tree, config.id);
    const voltage = config.voltage;
    return {
      id: config.id,
      parentId: config.parentId,
      name: config.name,
      kind: config.kind,
      unit: config.limit?.unit ?? null,
      limitA: node ? finiteOrNull(Math.min(...carried.map((p) => node.limit.amps[p as 0 | 1 | 2]))) : null,
      limitW: node?.limit.watts ?? null,
      source: node?.limit.source ?? '',
      fallback: node?.limit.fallback ?? false,
      allocatedA: allocated?.amps ?? [0, 0, 0],
      allocatedW: allocated?.watts ?? 0,
      measuredA,
      measuredW: measuredA ? (measuredA[0] + measuredA[1] + measuredA[2]) * voltage : null,
    };
  });
  const demands = new Map(steered.map((d) => [d.id, d]));
  const sessions: SessionSnapshot[] = model.sessions.flatMap((session) => {
    const allocation = result.sessions.find((s) => s.id === session.id);
    const demand = demands.get(session.id);
    const station = model.stations.find((s) => s.id === session.stationId);
    if (!allocation || !demand || !station) return [];
    const held = model.setpoints.find((p) => p.purpose === 'TxProfile' && p.transactionId === session.id);
    return [
      {
        transactionId: session.id,
        stationId: session.stationId,
        identity: station.identity,
        evseId: session.evseId,
        nodeId: station.nodeId ?? model.rootId,
        driverName: session.driverName,
        priority: session.priority,
        minA: demand.minA,
        maxA: demand.maxA,
        setpointA: allocation.setpointA,
        outcome: allocation.outcome,
        reason: allocation.reason,
        measuredA: demand.measuredA,
        startedAt: new Date(session.startedAt).toISOString(),
        pausedByOperator: Boolean(session.override?.paused),
        capA: session.override?.capA ?? null,
        delivery: held?.state ?? null,
      },
    ];
  });
  return {
    at: now.toISOString(),
    nodes,
    sessions,
    stations: model.stations.map((s) => ({
      stationId: s.id,
      identity: s.identity,
      nodeId: s.nodeId ?? model.rootId,
      online: s.online,
      pinnedMaxA: s.pinnedMaxA,
      defaults: s.evses.map((e) => ({ evseId: e.evseId, limitA: defaults.get(`${s.id}#${e.evseId}`) ?? 0 })),
    })),
    overcommitted: result.overcommitted,
  };
}

/** Stores the site's picture for the Load page: the snapshot, a chart row per node, and overruns. */
async function recordPicture(
  db: Db,
  model: SiteModel,
  tree: AllocationNode[],
  safeNow: SafeAllocation,
  defaults: ReadonlyMap<string, number>,
  now: Date,
): Promise<void> {
  const snapshot = snapshotOf(model, tree, safeNow, defaults, now);
  await db.transaction(async (tx) => {
    await tx
      .insert(loadAllocations)
      .values({ siteId: model.siteId, at: now, snapshot })
      .onConflictDoUpdate({ target: loadAllocations.siteId, set: { at: now, snapshot } });
    const last = lastSampleAt.get(model.siteId) ?? 0;
    if (now.getTime() - last >= sampleEveryMs) {
      lastSampleAt.set(model.siteId, now.getTime());
      await tx.insert(loadSamples).values(
        snapshot.nodes.map((n) => ({
          siteId: model.siteId,
          nodeId: n.id,
          at: now,
          limitA: n.limitA,
          allocatedA: Math.max(...n.allocatedA),
          measuredA: n.measuredA ? Math.max(...n.measuredA) : null,
          limitW: n.limitW,
          allocatedW: n.allocatedW,
          measuredW: n.measuredW,
        })),
      );
    }
    await trackOverruns(tx, model, tree, now);
  });
}

/** Opens, extends and closes overrun warnings: measured above the limit in force (margin not counted). */
async function trackOverruns(tx: DbOrTx, model: SiteModel, tree: AllocationNode[], now: Date): Promise<void> {
  const open = await tx
    .select()
    .from(loadOverruns)
    .where(and(eq(loadOverruns.siteId, model.siteId), isNull(loadOverruns.endedAt)));
  for (const config of model.nodes) {
    const settled = measuredUnder(model, tree, config.id, settledPerPhase);
    const settledW = settled ? (settled[0] + settled[1] + settled[2]) * config.voltage : null;
    const running = open.find((o) => o.nodeId === config.id);
    const unmargined = resolveNodeLimit(
      { ...config, safetyMarginPercent: 0 },
      model.timeZone,
      now.getTime(),
      config.id === model.rootId ? model.nonEv : undefined,
    );
    const carried = config.phases === 1 ? [0] : [0, 1, 2];
    const limitA = Math.min(...carried.map((p) => unmargined.amps[p as 0 | 1 | 2]));
    const measuredA = settled ? Math.max(...settled) : null;
    const overA = Number.isFinite(limitA) && measuredA !== null && measuredA > limitA + overrunToleranceA;
    const overW = unmargined.watts !== null && settledW !== null && settledW > unmargined.watts * 1.01;
    const unit = overW && !overA ? 'W' : 'A';
    const measured = unit === 'W' ? (settledW ?? 0) : (measuredA ?? 0);
    if (overA || overW) {
      if (running)
        await tx
          .update(loadOverruns)
          .set({ peakMeasured: Math.max(running.peakMeasured, measured) })
          .where(eq(loadOverruns.id, running.id));
      else
        await tx.insert(loadOverruns).values({
          organisationId: model.organisationId,
          siteId: model.siteId,
          nodeId: config.id,
          startedAt: now,
          unit,
          limit: unit === 'W' ? (unmargined.watts ?? 0) : limitA,
          peakMeasured: measured,
        });
    } else if (running) {
      await tx.update(loadOverruns).set({ endedAt: now }).where(eq(loadOverruns.id, running.id));
    }
  }
}

// --- the job ----------------------------------------------------------------------------------

export interface LoadBalancingOptions {
  db: () => Db;
  deps: CommandDeps;
  log: Logger;
  /** Every managed site is rerun this often (schedules, stale readings, retries). */
  periodMs?: number;
  /** Events within this window are folded into one run. */
  debounceMs?: number;
}

/** Keeps sample rows this long. */
const sampleRetentionMs = 7 * 86_400_000;

/** Starts load balancing; returns stop() and runNow() (tests). */
export function startLoadBalancing(options: LoadBalancingOptions) {
  const { deps, log } = options;
  const debounceMs = options.debounceMs ?? 250;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let stopped = false;

  const run = (siteId: string): Promise<void> => {
    const current = running.get(siteId);
    if (current) {
      again.add(siteId);
      return current;
    }
    const task = (async () => {
      try {
        const result = await runSiteAllocation(options.db(), siteId, deps);
        if (result.failed.length > 0)
          log.warn(
            { siteId, failed: result.failed.length },
            'some stations did not take their charging limit',
          );
        // A confirmed limit changes the picture (a session became steerable, a decrease made room):
        // the next run hands out what is now free.
        if (result.sent.length > 0) again.add(siteId);
      } catch (error) {
        log.error({ err: error, siteId }, 'load allocation failed');
      } finally {
        running.delete(siteId);
        if (again.delete(siteId) && !stopped) schedule(siteId);
      }
    })();
    running.set(siteId, task);
    return task;
  };

  const schedule = (siteId: string, delay = debounceMs) => {
    if (stopped || timers.has(siteId)) return;
    const timer = setTimeout(() => {
      timers.delete(siteId);
      void run(siteId);
    }, delay);
    timer.unref?.();
    timers.set(siteId, timer);
  };

  // Sites with load management, so that the session updates of all the others cost nothing here.
  // Refreshed every period; a configuration change always runs its site (and so adds or releases it).
  let managed = new Set<string>();
  const refreshManaged = async () => {
    managed = new Set(await listManagedSites(options.db()));
    return managed;
  };
  void refreshManaged().catch((error: unknown) => log.warn({ err: error }, 'could not list managed sites'));

  const unsubscribe = subscribe((event) => {
    if (event.type === 'load:changed') {
      managed.add(event.siteId);
      schedule(event.siteId);
    }
    if (event.type === 'session:updated' && event.siteId && managed.has(event.siteId)) schedule(event.siteId);
    if (event.type === 'station:connection-changed' && event.siteId && managed.has(event.siteId)) {
      const siteId = event.siteId;
      // A station that (re)connects gets its limits again, its safe default first: it may have
      // lost them, and until it confirms it counts as drawing its maximum.
      if (event.online)
        void options
          .db()
          .update(loadSetpoints)
          .set({ state: 'failed', retryAt: null, lastError: 'Station reconnected' })
          .where(eq(loadSetpoints.stationId, event.stationId))
          .then(() => schedule(siteId))
          .catch((error: unknown) => log.warn({ err: error }, 'could not reset charging limits'));
      else schedule(siteId);
    }
  });

  // Limits that were on their way when the previous process stopped: whether they arrived is
  // unknown, so they are sent again.
  void options
    .db()
    .update(loadSetpoints)
    .set({ state: 'failed', retryAt: null, lastError: 'ChargeOps restarted while sending' })
    .where(eq(loadSetpoints.state, 'sending'))
    .catch((error: unknown) => log.warn({ err: error }, 'could not reset limits in flight'));

  let lastPurge = 0;
  const periodic = setInterval(() => {
    void (async () => {
      const db = options.db();
      for (const siteId of await refreshManaged()) schedule(siteId, 0);
      const now = deps.now().getTime();
      if (now - lastPurge > 3_600_000) {
        lastPurge = now;
        await db.delete(loadSamples).where(lt(loadSamples.at, new Date(now - sampleRetentionMs)));
      }
    })().catch((error: unknown) => log.error({ err: error }, 'periodic load run failed'));
  }, options.periodMs ?? 15_000);
  periodic.unref();

  return {
    /** Runs a site now (after any run in progress) and resolves when done. */
    runNow: async (siteId: string) => {
      await running.get(siteId);
      await run(siteId);
    },
    stop: () => {
      stopped = true;
      unsubscribe();
      clearInterval(periodic);
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}

/** The sites with load management (for the server's start-up log). */
export async function countManagedSites(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(loadNodes)
    .where(and(isNull(loadNodes.parentId), eq(loadNodes.enabled, true)));
  return row?.n ?? 0;
}
