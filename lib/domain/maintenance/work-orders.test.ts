import { describe, expect, it } from 'vitest';
import {
  activeStatuses,
  allowedTransitions,
  checkTransition,
  defaultSlaHours,
  isOverdue,
  openStatuses,
  possibleTransitions,
  priorityLabels,
  slaDueAt,
  statusLabels,
  transitionRequirements,
  workOrderPriorities,
  workOrderStatuses,
  type TransitionActor,
  type TransitionFacts,
  type WorkOrderStatus,
} from './work-orders';

const NOW = new Date('2026-06-03T15:00:00Z');

const assignee: TransitionActor = { kind: 'technician', isAssignee: true };
const otherTech: TransitionActor = { kind: 'technician', isAssignee: false };
const manager: TransitionActor = { kind: 'manager', isAssignee: false };
const admin: TransitionActor = { kind: 'admin', isAssignee: false };
const system: TransitionActor = { kind: 'system', isAssignee: false };

type Who = 'assignee' | 'manager' | 'admin' | 'system';
const actorFor: Record<Who, TransitionActor> = { assignee, manager, admin, system };

// Every actor shape there is, including ones the service should never build (a manager who is the
// assignee, the system as assignee): none of them may get rights they should not have.
const everyActor: TransitionActor[] = (['admin', 'manager', 'technician', 'system'] as const).flatMap(
  (kind) => [
    { kind, isAssignee: true },
    { kind, isAssignee: false },
  ],
);

const aFacts = (overrides: Partial<TransitionFacts> = {}): TransitionFacts => ({
  checklistComplete: true,
  hasAssignee: true,
  reason: 'Customer asked',
  ...overrides,
});

const office: Who[] = ['manager', 'admin'];
const officeOrSystem: Who[] = ['manager', 'admin', 'system'];

// The transition table, written out again independently of the implementation.
const legal: {
  from: WorkOrderStatus;
  to: WorkOrderStatus;
  who: Who[];
  needs: ('assignee' | 'reason' | 'checklist')[];
}[] = [
  { from: 'new', to: 'assigned', who: officeOrSystem, needs: ['assignee'] },
  { from: 'assigned', to: 'assigned', who: officeOrSystem, needs: ['assignee'] },
  { from: 'assigned', to: 'accepted', who: ['assignee'], needs: [] },
  { from: 'assigned', to: 'new', who: ['assignee'], needs: ['reason'] },
  { from: 'accepted', to: 'en_route', who: ['assignee'], needs: [] },
  { from: 'accepted', to: 'on_site', who: ['assignee'], needs: [] },
  { from: 'en_route', to: 'on_site', who: ['assignee'], needs: [] },
  { from: 'accepted', to: 'assigned', who: office, needs: ['assignee'] },
  { from: 'en_route', to: 'assigned', who: office, needs: ['assignee'] },
  { from: 'on_site', to: 'in_progress', who: ['assignee'], needs: ['checklist'] },
  { from: 'on_site', to: 'cannot_fix', who: ['assignee'], needs: ['reason'] },
  { from: 'in_progress', to: 'cannot_fix', who: ['assignee'], needs: ['reason'] },
  { from: 'in_progress', to: 'resolved', who: ['assignee'], needs: [] },
  { from: 'resolved', to: 'verified', who: ['system'], needs: [] },
  { from: 'resolved', to: 'accepted', who: ['system'], needs: ['reason'] },
  { from: 'cannot_fix', to: 'assigned', who: office, needs: ['assignee'] },
  { from: 'cannot_fix', to: 'closed', who: office, needs: ['reason'] },
  { from: 'verified', to: 'closed', who: officeOrSystem, needs: [] },
  { from: 'new', to: 'cancelled', who: officeOrSystem, needs: ['reason'] },
  { from: 'assigned', to: 'cancelled', who: officeOrSystem, needs: ['reason'] },
  { from: 'accepted', to: 'cancelled', who: officeOrSystem, needs: ['reason'] },
  { from: 'en_route', to: 'cancelled', who: officeOrSystem, needs: ['reason'] },
];

const whoIs = (actor: TransitionActor): Who | null => {
  if (actor.kind === 'technician') return actor.isAssignee ? 'assignee' : null;
  return actor.kind;
};

const isLegal = (from: WorkOrderStatus, to: WorkOrderStatus, actor: TransitionActor) => {
  const who = whoIs(actor);
  return legal.some((edge) => edge.from === from && edge.to === to && who !== null && edge.who.includes(who));
};

describe('checkTransition', () => {
  const first = (edge: (typeof legal)[number]) => actorFor[edge.who[0] ?? 'system'];
  const needing = (need: 'assignee' | 'reason' | 'checklist') =>
    legal.filter((edge) => edge.needs.includes(need));
  const notNeeding = (...needs: ('assignee' | 'reason' | 'checklist')[]) =>
    legal.filter((edge) => needs.every((need) => !edge.needs.includes(need)));

  describe.each(legal)('$from → $to', ({ from, to, who }) => {
    it.each(who)('is allowed for the %s with what it needs', (name) => {
      expect(checkTransition(from, to, actorFor[name], aFacts())).toEqual({ ok: true });
    });
  });

  describe.each(needing('reason'))('$from → $to', (edge) => {
    it.each([undefined, null, '', '   \n'])('needs a reason (refused with %j)', (reason) => {
      expect(checkTransition(edge.from, edge.to, first(edge), aFacts({ reason })).ok).toBe(false);
    });
  });

  it.each(needing('assignee'))('$from → $to needs an assignee', (edge) => {
    expect(checkTransition(edge.from, edge.to, first(edge), aFacts({ hasAssignee: false }))).toEqual({
      ok: false,
      reason: 'Choose a technician to assign',
    });
  });

  it.each(notNeeding('reason'))('$from → $to needs no reason', (edge) => {
    expect(checkTransition(edge.from, edge.to, first(edge), aFacts({ reason: null })).ok).toBe(true);
  });

  it.each(notNeeding('assignee', 'checklist'))(
    '$from → $to needs neither an assignee nor the checklist',
    (edge) => {
      const facts = aFacts({ hasAssignee: false, checklistComplete: false });
      expect(checkTransition(edge.from, edge.to, first(edge), facts).ok).toBe(true);
    },
  );

  it('allows exactly the table, for every status pair and every actor (all facts given)', () => {
    for (const from of workOrderStatuses) {
      for (const to of workOrderStatuses) {
        for (const actor of everyActor) {
          const ok = checkTransition(from, to, actor, aFacts()).ok;
          expect({ from, to, actor, ok }).toEqual({ from, to, actor, ok: isLegal(from, to, actor) });
        }
      }
    }
  });

  it.each<[string, WorkOrderStatus, WorkOrderStatus, TransitionActor, Partial<TransitionFacts>, string]>([
    ['skipping the work', 'new', 'resolved', manager, {}, 'A work order that is New cannot become Resolved'],
    [
      'verifying a new order',
      'new',
      'verified',
      system,
      {},
      'A work order that is New cannot become Verified',
    ],
    [
      'reopening a closed order',
      'closed',
      'assigned',
      admin,
      {},
      'A work order that is Closed cannot become Assigned',
    ],
    [
      'reviving a cancelled order',
      'cancelled',
      'new',
      manager,
      {},
      'A work order that is Cancelled cannot become New',
    ],
    [
      'cancelling on site',
      'on_site',
      'cancelled',
      manager,
      {},
      'A work order that is On site cannot become Cancelled',
    ],
    [
      'resolving from on site',
      'on_site',
      'resolved',
      assignee,
      {},
      'A work order that is On site cannot become Resolved',
    ],
    ['staying put', 'on_site', 'on_site', assignee, {}, 'The work order is already On site'],
    [
      'starting without the checklist',
      'on_site',
      'in_progress',
      assignee,
      { checklistComplete: false },
      'Confirm the safety checklist before starting the work',
    ],
    [
      'a manager verifying',
      'resolved',
      'verified',
      manager,
      {},
      "A repair is verified by the charger's own report after the repair, not by a person",
    ],
    [
      'the technician verifying their own repair',
      'resolved',
      'verified',
      assignee,
      {},
      "A repair is verified by the charger's own report after the repair, not by a person",
    ],
    [
      'a manager reopening',
      'resolved',
      'accepted',
      manager,
      {},
      "A resolved work order is reopened only when the charger's report shows the repair did not hold",
    ],
    [
      'declining without a reason',
      'assigned',
      'new',
      assignee,
      { reason: '  ' },
      'Give a reason for declining',
    ],
    [
      'cancelling without a reason',
      'assigned',
      'cancelled',
      manager,
      { reason: null },
      'Give a reason for cancelling',
    ],
    [
      'giving up without a reason',
      'in_progress',
      'cannot_fix',
      assignee,
      { reason: '' },
      'Say why it cannot be fixed',
    ],
    [
      'closing an unfixable order without a reason',
      'cannot_fix',
      'closed',
      admin,
      { reason: undefined },
      'Give a reason for closing without a fix',
    ],
    [
      'reopening without a reason',
      'resolved',
      'accepted',
      system,
      { reason: '' },
      'Give a reason for reopening',
    ],
    ['assigning nobody', 'new', 'assigned', system, { hasAssignee: false }, 'Choose a technician to assign'],
    [
      'another technician accepting',
      'assigned',
      'accepted',
      otherTech,
      {},
      'Only the assigned technician can accept this work order',
    ],
    [
      'a manager accepting for the technician',
      'assigned',
      'accepted',
      manager,
      {},
      'Only the assigned technician can accept this work order; a manager cannot do it on their behalf',
    ],
    [
      'an admin checking in on site for the technician',
      'en_route',
      'on_site',
      admin,
      {},
      'Only the assigned technician can check in on site; an admin cannot do it on their behalf',
    ],
    [
      'the system resolving',
      'in_progress',
      'resolved',
      system,
      {},
      'Only the assigned technician can mark the work order resolved',
    ],
    [
      'a manager giving up for the technician',
      'on_site',
      'cannot_fix',
      manager,
      {},
      'Only the assigned technician can report that it cannot be fixed; a manager cannot do it on their behalf',
    ],
    [
      'the assignee cancelling',
      'accepted',
      'cancelled',
      assignee,
      {},
      'Only a manager or admin can cancel a work order',
    ],
    [
      'the assignee reassigning',
      'assigned',
      'assigned',
      assignee,
      {},
      'Only a manager or admin can reassign a work order',
    ],
    [
      'another technician assigning',
      'new',
      'assigned',
      otherTech,
      {},
      'Only a manager or admin can assign a work order',
    ],
    [
      'the system reassigning an unfixable order',
      'cannot_fix',
      'assigned',
      system,
      {},
      'Only a manager or admin can reassign a work order',
    ],
    [
      'the system closing an unfixable order',
      'cannot_fix',
      'closed',
      system,
      {},
      'Only a manager or admin can close a work order that cannot be fixed',
    ],
    [
      'the assignee closing',
      'verified',
      'closed',
      assignee,
      {},
      'Only a manager or admin can close a work order',
    ],
  ])('refuses %s', (_, from, to, actor, facts, reason) => {
    expect(checkTransition(from, to, actor, aFacts(facts))).toEqual({ ok: false, reason });
  });

  it('reports the wrong actor before missing facts', () => {
    const facts = aFacts({ reason: null, hasAssignee: false, checklistComplete: false });
    expect(checkTransition('assigned', 'new', otherTech, facts)).toEqual({
      ok: false,
      reason: 'Only the assigned technician can decline this work order',
    });
  });

  it('never lets anyone start the work without the checklist', () => {
    for (const actor of everyActor) {
      expect(checkTransition('on_site', 'in_progress', actor, aFacts({ checklistComplete: false })).ok).toBe(
        false,
      );
    }
  });
});

describe('allowedTransitions', () => {
  const factVariants: TransitionFacts[] = [true, false].flatMap((checklistComplete) =>
    [true, false].flatMap((hasAssignee) =>
      [undefined, null, '', '  ', 'Parts on back order'].map((reason) => ({
        checklistComplete,
        hasAssignee,
        reason,
      })),
    ),
  );

  it('agrees with checkTransition for every status, target, actor and set of facts', () => {
    for (const from of workOrderStatuses) {
      for (const actor of everyActor) {
        for (const facts of factVariants) {
          const allowed = allowedTransitions(from, actor, facts);
          const checked = workOrderStatuses.filter((to) => checkTransition(from, to, actor, facts).ok);
          expect({ from, actor, facts, allowed: [...allowed].sort() }).toEqual({
            from,
            actor,
            facts,
            allowed: [...checked].sort(),
          });
          expect(new Set(allowed).size).toBe(allowed.length);
        }
      }
    }
  });

  it.each<[WorkOrderStatus, TransitionActor, WorkOrderStatus[]]>([
    ['new', manager, ['assigned', 'cancelled']],
    ['assigned', assignee, ['accepted', 'new']],
    ['assigned', admin, ['assigned', 'cancelled']],
    ['accepted', assignee, ['en_route', 'on_site']],
    ['on_site', assignee, ['in_progress', 'cannot_fix']],
    ['in_progress', assignee, ['resolved', 'cannot_fix']],
    ['resolved', system, ['verified', 'accepted']],
    ['cannot_fix', manager, ['assigned', 'closed']],
    ['accepted', manager, ['assigned', 'cancelled']],
    ['en_route', system, ['cancelled']],
    ['verified', system, ['closed']],
    ['closed', admin, []],
    ['cancelled', system, []],
    ['in_progress', otherTech, []],
    ['resolved', manager, []],
  ])('from %s offers %s the steps in display order', (from, actor, expected) => {
    expect(allowedTransitions(from, actor, aFacts())).toEqual(expected);
  });

  it('leaves out a step until what it needs is given', () => {
    const bare = { checklistComplete: false, hasAssignee: false, reason: null };
    expect(allowedTransitions('on_site', assignee, bare)).toEqual([]);
    expect(allowedTransitions('on_site', assignee, { ...bare, checklistComplete: true })).toEqual([
      'in_progress',
    ]);
    expect(allowedTransitions('assigned', assignee, bare)).toEqual(['accepted']);
    expect(allowedTransitions('new', manager, bare)).toEqual([]);
  });
});

describe('possibleTransitions', () => {
  it('is allowedTransitions once everything a step needs is given', () => {
    for (const from of workOrderStatuses) {
      for (const actor of everyActor) {
        expect(possibleTransitions(from, actor)).toEqual(allowedTransitions(from, actor, aFacts()));
      }
    }
  });

  it('offers the decline button before a reason is typed', () => {
    expect(possibleTransitions('assigned', assignee)).toEqual(['accepted', 'new']);
  });
});

describe('transitionRequirements', () => {
  it.each(legal)('says what $from → $to needs', ({ from, to, needs }) => {
    expect(transitionRequirements(from, to)).toMatchObject({
      assignee: needs.includes('assignee'),
      reason: needs.includes('reason'),
      checklist: needs.includes('checklist'),
    });
  });

  it('names who may take the step', () => {
    expect(transitionRequirements('resolved', 'verified')?.party).toBe('system');
    expect(transitionRequirements('assigned', 'accepted')?.party).toBe('assignee');
    expect(transitionRequirements('cannot_fix', 'closed')?.party).toBe('office');
    expect(transitionRequirements('verified', 'closed')?.party).toBe('office-or-system');
  });

  it('is null for a move that is not a transition', () => {
    expect(transitionRequirements('new', 'resolved')).toBeNull();
    expect(transitionRequirements('closed', 'closed')).toBeNull();
  });
});

describe('slaDueAt', () => {
  const created = new Date('2026-06-01T09:30:00Z');

  it.each([
    ['critical', '2026-06-01T13:30:00.000Z'],
    ['high', '2026-06-02T09:30:00.000Z'],
    ['normal', '2026-06-04T09:30:00.000Z'],
    ['low', '2026-06-08T09:30:00.000Z'],
  ] as const)('gives %s priority the default SLA', (priority, due) => {
    expect(slaDueAt(created, priority).toISOString()).toBe(due);
  });

  it("uses the organisation's own hours when given", () => {
    const hours = { ...defaultSlaHours, critical: 2, normal: 0.5 };
    expect(slaDueAt(created, 'critical', hours).toISOString()).toBe('2026-06-01T11:30:00.000Z');
    expect(slaDueAt(created, 'normal', hours).toISOString()).toBe('2026-06-01T10:00:00.000Z');
  });

  it('counts elapsed hours across a DST change', () => {
    // Chicago springs forward at 02:00 on 2026-03-08: 4 h after 00:00 CST is 05:00 CDT, 4 real hours.
    const beforeChange = new Date('2026-03-08T06:00:00Z');
    expect(slaDueAt(beforeChange, 'critical').getTime() - beforeChange.getTime()).toBe(4 * 3_600_000);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses an SLA of %s hours', (hours) => {
    expect(() => slaDueAt(created, 'high', { ...defaultSlaHours, high: hours })).toThrow(
      'The SLA for High priority must be a positive number of hours',
    );
  });

  it('refuses an invalid creation date', () => {
    expect(() => slaDueAt(new Date('nope'), 'high')).toThrow('createdAt is not a valid date');
  });
});

describe('isOverdue', () => {
  const due = new Date('2026-06-03T12:00:00Z');

  it.each<[WorkOrderStatus, boolean]>([
    ['new', true],
    ['assigned', true],
    ['accepted', true],
    ['en_route', true],
    ['on_site', true],
    ['in_progress', true],
    ['resolved', false],
    ['cannot_fix', false],
    ['verified', false],
    ['closed', false],
    ['cancelled', false],
  ])('an order past its SLA that is %s is overdue: %s', (status, overdue) => {
    expect(isOverdue({ status, slaDueAt: due }, NOW)).toBe(overdue);
  });

  it('is not overdue at the due instant, only after it', () => {
    expect(isOverdue({ status: 'accepted', slaDueAt: due }, due)).toBe(false);
    expect(isOverdue({ status: 'accepted', slaDueAt: due }, new Date(due.getTime() + 1))).toBe(true);
  });

  it('is never overdue without an SLA', () => {
    expect(isOverdue({ status: 'new', slaDueAt: null }, NOW)).toBe(false);
  });
});

describe('status sets and labels', () => {
  it('counts the steps on a technician’s plate as active', () => {
    expect(activeStatuses).toEqual(['assigned', 'accepted', 'en_route', 'on_site', 'in_progress']);
  });

  it('counts everything not finished as open', () => {
    expect(openStatuses).toEqual([
      'new',
      'assigned',
      'accepted',
      'en_route',
      'on_site',
      'in_progress',
      'resolved',
      'cannot_fix',
    ]);
    for (const status of activeStatuses) expect(openStatuses).toContain(status);
  });

  it('labels every status and priority', () => {
    expect(Object.keys(statusLabels)).toEqual([...workOrderStatuses]);
    expect(Object.keys(priorityLabels)).toEqual([...workOrderPriorities]);
    expect(statusLabels.en_route).toBe('En route');
    expect(statusLabels.cannot_fix).toBe('Cannot fix');
  });
});
