import { describe, expect, it } from 'vitest';
import { allocate, safeDefaultLimits } from './allocator';
import { resolveNodeLimit } from './limits';
import {
  allocateNow,
  demandsOf,
  evseSlotsOf,
  planSetpoints,
  settledPerPhase,
  settleMs,
  idleDefaultLimits,
  stationNodes,
  wantedSetpoints,
  type SessionModel,
  type SetpointModel,
  type SiteModel,
  type StationModel,
} from './site-model';
import type { AllocationNode } from './types';

const now = Date.UTC(2026, 10, 30, 15, 0);

function aStationModel(id: string, overrides: Partial<StationModel> = {}): StationModel {
  return {
    id,
    identity: id.toUpperCase(),
    online: true,
    nodeId: null,
    pinnedMaxA: null,
    evses: [{ evseId: 1, minA: 6, maxA: 32, ratedPowerW: null, phases: 3, line: 0 }],
    ...overrides,
  };
}

function aSession(id: string, stationId: string, overrides: Partial<SessionModel> = {}): SessionModel {
  return {
    id,
    stationId,
    evseId: 1,
    chargerTransactionId: id,
    startedAt: now - 60_000,
    driverName: null,
    priority: 3,
    groupMaxPowerW: null,
    override: null,
    measuredA: null,
    measuredW: null,
    measuredAt: null,
    ...overrides,
  };
}

const confirmedTx = (stationId: string, transactionId: string, limitA: number): SetpointModel => ({
  stationId,
  evseId: 1,
  purpose: 'TxProfile',
  transactionId,
  limitA,
  state: 'confirmed',
  retryAt: null,
  confirmedAt: now - 60_000,
});

/** A site limited to `amps` per phase with stations a..d straight under the grid connection. */
function aSite(amps: number, overrides: Partial<SiteModel> = {}): SiteModel {
  return {
    siteId: 'site',
    organisationId: 'org',
    timeZone: 'America/Chicago',
    nodes: [
      {
        id: 'root',
        parentId: null,
        name: 'Grid',
        kind: 'site',
        voltage: 230,
        phases: 3,
        limit: { unit: 'A', value: amps },
        schedule: [],
        safetyMarginPercent: 0,
      },
    ],
    rootId: 'root',
    nonEv: undefined,
    stations: ['a', 'b', 'c', 'd'].map((id) => aStationModel(id)),
    sessions: [],
    setpoints: [],
    ...overrides,
  };
}

function treeOf(model: SiteModel): AllocationNode[] {
  return [
    ...model.nodes.map((n) => ({ ...n, limit: resolveNodeLimit(n, model.timeZone, now) })),
    ...stationNodes(model),
  ];
}

/** One allocation run as the engine does it. */
function runOnce(model: SiteModel) {
  const tree = treeOf(model);
  const safe = allocateNow(tree, model);
  const later = allocate(tree, demandsOf(model, { respectDelivery: false }));
  const defaults = idleDefaultLimits(tree, model, safe, safeDefaultLimits(tree, evseSlotsOf(model)));
  const wanted = wantedSetpoints(model, safe, later, defaults);
  return { defaults, safeNow: safe.result, wanted, plan: planSetpoints(model, wanted, now) };
}

describe('the offline defaults', () => {
  it('share the site so that every EVSE drawing its default at once fits', () => {
    const { defaults, wanted } = runOnce(aSite(32));
    expect([...defaults.values()]).toEqual([8, 8, 8, 8]);
    expect(wanted.filter((w) => w.purpose === 'TxDefaultProfile').map((w) => w.limitA)).toEqual([8, 8, 8, 8]);
  });
});

describe('a session whose station has not confirmed a limit', () => {
  it('counts at what its default lets it draw, and is sent no more than that', () => {
    const model = aSite(32, {
      sessions: [aSession('t1', 'a')],
      setpoints: ['a', 'b', 'c', 'd'].map((stationId) => ({
        stationId,
        evseId: 1,
        purpose: 'TxDefaultProfile' as const,
        transactionId: null,
        limitA: 8,
        state: 'confirmed' as const,
        retryAt: null,
        confirmedAt: now - 60_000,
      })),
    });
    const { safeNow, wanted } = runOnce(model);
    expect(safeNow.sessions[0]).toMatchObject({ outcome: 'uncontrolled', setpointA: 8 });
    expect(wanted.find((w) => w.purpose === 'TxProfile')).toMatchObject({ transactionId: 't1', limitA: 8 });
  });

  it('without a confirmed default counts at its maximum', () => {
    const model = aSite(32, {
      sessions: [aSession('t1', 'a'), aSession('t2', 'b')],
      setpoints: [confirmedTx('a', 't1', 16)],
    });
    const { safeNow } = runOnce(model);
    // b may draw 32 A: nothing is left for a beyond what its minimum would need, so a is paused.
    expect(safeNow.sessions.find((s) => s.id === 't2')).toMatchObject({
      outcome: 'uncontrolled',
      setpointA: 32,
    });
    expect(safeNow.sessions.find((s) => s.id === 't1')).toMatchObject({ outcome: 'paused', setpointA: 0 });
  });
});

describe('the defaults of idle EVSEs', () => {
  const defaultsOf = (model: SiteModel) =>
    runOnce(model)
      .wanted.filter((w) => w.purpose === 'TxDefaultProfile')
      .map((w) => w.limitA);

  it('hold only what the running sessions leave, so an arrival draws nothing that is not free', () => {
    const model = aSite(32, { sessions: [aSession('t1', 'a')], setpoints: [confirmedTx('a', 't1', 8)] });
    const { safeNow } = runOnce(model);
    expect(safeNow.sessions[0]).toMatchObject({ outcome: 'charging', setpointA: 32 });
    // a is busy: its default stays its fair share (used only if ChargeOps is unreachable later).
    expect(defaultsOf(model)).toEqual([8, 0, 0, 0]);
  });

  it('get what is left over, up to their fair share', () => {
    const model = aSite(32, {
      stations: ['a', 'b', 'c', 'd'].map((id) =>
        aStationModel(id, {
          evses: [{ evseId: 1, minA: 6, maxA: 10, ratedPowerW: null, phases: 3, line: 0 }],
        }),
      ),
      sessions: [aSession('t1', 'a')],
      setpoints: [confirmedTx('a', 't1', 10)],
    });
    // a takes its 10 A; the 22 A left are shared by three idle EVSEs (below their 8 A fair share).
    expect(defaultsOf(model)).toEqual([8, 7.3, 7.3, 7.3]);
  });

  it('take all the room again when the site goes quiet', () => {
    expect(defaultsOf(aSite(32))).toEqual([8, 8, 8, 8]);
  });
});

describe('the sending plan', () => {
  it('lowers limits before it raises any', () => {
    const model = aSite(32, {
      stations: [aStationModel('a'), aStationModel('b')],
      sessions: [aSession('t1', 'a', { priority: 1 }), aSession('t2', 'b', { priority: 3 })],
      setpoints: [confirmedTx('a', 't1', 20), confirmedTx('b', 't2', 6)],
    });
    const { plan } = runOnce(model);
    expect(plan.decreases.filter((w) => w.purpose === 'TxProfile').map((w) => w.transactionId)).toEqual([
      't1',
    ]);
    expect(plan.increases.filter((w) => w.purpose === 'TxProfile').map((w) => w.transactionId)).toEqual([
      't2',
    ]);
  });

  it('sends every fall, however small, but not a rise too small to matter', () => {
    const model = (heldA: number) =>
      aSite(32, {
        stations: [aStationModel('a')],
        sessions: [aSession('t1', 'a')],
        setpoints: [
          confirmedTx('a', 't1', heldA),
          { ...confirmedTx('a', 'x', 32), purpose: 'TxDefaultProfile', transactionId: null },
        ],
      });
    // The session's share is 32 A: held at 32.2 it must come down; held at 31.8 it may stay.
    expect(runOnce(model(32.2)).plan.decreases.map((w) => w.limitA)).toEqual([32]);
    expect(runOnce(model(31.8)).plan.increases).toEqual([]);
  });

  it('leaves confirmed limits alone when the change is too small to matter', () => {
    const model = aSite(32, {
      stations: [aStationModel('a')],
      sessions: [aSession('t1', 'a')],
      setpoints: [
        confirmedTx('a', 't1', 31.8),
        { ...confirmedTx('a', 'x', 32), purpose: 'TxDefaultProfile', transactionId: null },
      ],
    });
    expect(runOnce(model).plan).toEqual({ decreases: [], increases: [], clears: [] });
  });

  it('retries a failed limit only when it is due, and never sends to offline stations', () => {
    const failed = { ...confirmedTx('a', 't1', 16), state: 'failed' as const, retryAt: now + 5_000 };
    const model = aSite(32, {
      stations: [aStationModel('a'), aStationModel('b', { online: false })],
      sessions: [aSession('t1', 'a')],
      setpoints: [failed],
    });
    const tx = (m: SiteModel) =>
      [...runOnce(m).plan.decreases, ...runOnce(m).plan.increases].filter((w) => w.purpose === 'TxProfile');
    expect(tx(model)).toEqual([]);
    expect(tx({ ...model, setpoints: [{ ...failed, retryAt: now - 1 }] })).toHaveLength(1);
    expect(runOnce(model).wanted.some((w) => w.stationId === 'b')).toBe(true);
    const planned = runOnce(model).plan;
    expect([...planned.decreases, ...planned.increases].some((w) => w.stationId === 'b')).toBe(false);
  });

  it('clears a station maximum that is no longer pinned, and sends a pinned one', () => {
    const pinned = aSite(32, { stations: [aStationModel('a', { pinnedMaxA: 10 })] });
    expect(runOnce(pinned).wanted).toContainEqual(
      expect.objectContaining({
        purpose: 'ChargingStationMaxProfile',
        stationId: 'a',
        limitA: 10,
        evseId: 0,
      }),
    );
    const unpinned = aSite(32, {
      stations: [aStationModel('a')],
      setpoints: [
        {
          ...confirmedTx('a', 'x', 10),
          evseId: 0,
          purpose: 'ChargingStationMaxProfile',
          transactionId: null,
        },
      ],
    });
    expect(runOnce(unpinned).plan.clears).toHaveLength(1);
  });
});

describe('the draw that counts for overrun warnings', () => {
  const model = (measuredAt: number) =>
    aSite(32, {
      stations: [aStationModel('a')],
      sessions: [aSession('t1', 'a', { measuredA: [20, 20, 20], measuredAt })],
      setpoints: [{ ...confirmedTx('a', 't1', 10), confirmedAt: now }],
    });

  it('caps a reading taken before the lower limit could take effect', () => {
    expect(settledPerPhase(model(now - 1_000), model(now - 1_000).sessions[0]!)).toEqual([10, 10, 10]);
  });

  it('takes a reading taken after the EV had time to follow it as it is', () => {
    const later = model(now + settleMs);
    expect(settledPerPhase(later, later.sessions[0]!)).toEqual([20, 20, 20]);
  });
});

describe('caps on a session', () => {
  it('take the group maximum power, the operator cap and the EVSE maximum, whichever is lowest', () => {
    const model = aSite(100, {
      stations: [aStationModel('a'), aStationModel('b'), aStationModel('c')],
      sessions: [
        aSession('t1', 'a', { groupMaxPowerW: 7_360 }),
        aSession('t2', 'b', { override: { paused: false, capA: 12 } }),
        aSession('t3', 'c'),
      ],
      setpoints: [confirmedTx('a', 't1', 6), confirmedTx('b', 't2', 6), confirmedTx('c', 't3', 6)],
    });
    const byId = new Map(demandsOf(model, { respectDelivery: true }).map((d) => [d.id, d]));
    expect(byId.get('t1')?.maxA).toBeCloseTo(7_360 / (230 * 3));
    expect(byId.get('t2')?.maxA).toBe(12);
    expect(byId.get('t3')?.maxA).toBe(32);
  });

  it('below the minimum is a pause', () => {
    const model = aSite(100, {
      stations: [aStationModel('a')],
      sessions: [aSession('t1', 'a', { override: { paused: false, capA: 4 } })],
      setpoints: [confirmedTx('a', 't1', 6)],
    });
    expect(runOnce(model).safeNow.sessions[0]).toMatchObject({ outcome: 'paused', setpointA: 0 });
  });
});
