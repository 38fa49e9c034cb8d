/**
 * The work-order life cycle: which status may follow which, who may move it and what they must
 * supply. One table serves the service verb (checkTransition) and the UI's buttons
 * (allowedTransitions), so a rule is written once. Pure: time is a parameter.
 */

export const workOrderStatuses = [
  'new',
  'assigned',
  'accepted',
  'en_route',
  'on_site',
  'in_progress',
  'resolved',
  'cannot_fix',
  'verified',
  'closed',
  'cancelled',
] as const;
export type WorkOrderStatus = (typeof workOrderStatuses)[number];

export const workOrderPriorities = ['critical', 'high', 'normal', 'low'] as const;
export type WorkOrderPriority = (typeof workOrderPriorities)[number];

export const workOrderKinds = ['corrective', 'preventive'] as const;
export type WorkOrderKind = (typeof workOrderKinds)[number];

export const statusLabels: Record<WorkOrderStatus, string> = {
  new: 'New',
  assigned: 'Assigned',
  accepted: 'Accepted',
  en_route: 'En route',
  on_site: 'On site',
  in_progress: 'In progress',
  resolved: 'Resolved',
  cannot_fix: 'Cannot fix',
  verified: 'Verified',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

export const priorityLabels: Record<WorkOrderPriority, string> = {
  critical: 'Critical',
  high: 'High',
  normal: 'Normal',
  low: 'Low',
};

export const workOrderKindLabels: Record<WorkOrderKind, string> = {
  corrective: 'Corrective',
  preventive: 'Preventive',
};

/** Hours from creation to the SLA deadline per priority, unless the organisation sets its own. */
export const defaultSlaHours: Record<WorkOrderPriority, number> = {
  critical: 4,
  high: 24,
  normal: 72,
  low: 168,
};

/**
 * When a work order's SLA runs out. Elapsed hours, not wall-clock hours: a 4-hour SLA across a DST
 * change is still 4 real hours. Throws on an invalid date or a non-positive SLA, so a bad setting
 * fails when it is saved rather than silently making every order overdue.
 */
export function slaDueAt(
  createdAt: Date,
  priority: WorkOrderPriority,
  slaHours: Record<WorkOrderPriority, number> = defaultSlaHours,
): Date {
  if (Number.isNaN(createdAt.getTime())) throw new Error('createdAt is not a valid date');
  const hours = slaHours[priority];
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new Error(`The SLA for ${priorityLabels[priority]} priority must be a positive number of hours`);
  }
  return new Date(createdAt.getTime() + hours * 3_600_000);
}

// The clock stops once the technician is done (resolved or cannot fix): waiting for the charger's
// verification or a manager's decision is not the technician's delay.
const slaStopped: ReadonlySet<WorkOrderStatus> = new Set([
  'resolved',
  'cannot_fix',
  'verified',
  'closed',
  'cancelled',
]);

/** Whether the SLA has run out on an order still being worked on. Due at 12:00 is overdue from 12:00:00.001. */
export function isOverdue(order: { status: WorkOrderStatus; slaDueAt: Date | null }, now: Date): boolean {
  if (order.slaDueAt === null || slaStopped.has(order.status)) return false;
  return now.getTime() > order.slaDueAt.getTime();
}

/** Statuses in which the order is on a technician's plate (they count toward workload in dispatch). */
export const activeStatuses: readonly WorkOrderStatus[] = [
  'assigned',
  'accepted',
  'en_route',
  'on_site',
  'in_progress',
];

/** Not yet finished: everything except verified, closed and cancelled. */
export const openStatuses: readonly WorkOrderStatus[] = workOrderStatuses.filter(
  (status) => status !== 'verified' && status !== 'closed' && status !== 'cancelled',
);

export type ActorKind = 'admin' | 'manager' | 'technician' | 'system';

/** Who asks for a transition. */
export interface TransitionActor {
  kind: ActorKind;
  /** The actor is the order's assigned technician. */
  isAssignee: boolean;
}

/** What the transition comes with; the service gathers these before asking. */
export interface TransitionFacts {
  checklistComplete: boolean;
  /** An assignee is named in this transition or already set. */
  hasAssignee: boolean;
  /** The free-text reason/note given with the transition, if any. */
  reason?: string | null;
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/**
 * Who may take an edge: the assigned technician (field steps), a manager or admin (office), the
 * same or the system (automatic assignment, closing, cancelling), or the system alone.
 */
export type TransitionParty = 'assignee' | 'office' | 'office-or-system' | 'system';

/** What a transition needs besides the right actor, so a UI can ask for it before submitting. */
export interface TransitionRequirements {
  party: TransitionParty;
  assignee: boolean;
  reason: boolean;
  checklist: boolean;
}

interface Edge {
  to: WorkOrderStatus;
  party: TransitionParty;
  /** Completes "Only … can ___". */
  action: string;
  needsAssignee?: true;
  /** The prompt shown when the reason is missing; its presence means a reason is required. */
  reasonPrompt?: string;
  needsChecklist?: true;
  /** Replaces the generic "Only … can …" refusal where the why matters more than the who. */
  refusal?: string;
}

const cancel: Edge = {
  to: 'cancelled',
  party: 'office-or-system',
  action: 'cancel a work order',
  reasonPrompt: 'Give a reason for cancelling',
};

// Edges per status, in the order the UI shows them: the step forward first, then the way back or
// aside, then cancelling.
const edges: Record<WorkOrderStatus, readonly Edge[]> = {
  new: [
    { to: 'assigned', party: 'office-or-system', action: 'assign a work order', needsAssignee: true },
    cancel,
  ],
  assigned: [
    { to: 'accepted', party: 'assignee', action: 'accept this work order' },
    {
      to: 'new',
      party: 'assignee',
      action: 'decline this work order',
      reasonPrompt: 'Give a reason for declining',
    },
    { to: 'assigned', party: 'office-or-system', action: 'reassign a work order', needsAssignee: true },
    cancel,
  ],
  accepted: [
    { to: 'en_route', party: 'assignee', action: 'set off to the site' },
    { to: 'on_site', party: 'assignee', action: 'check in on site' },
    // Plans change (the technician is ill, a closer one is free): the office may send someone else.
    { to: 'assigned', party: 'office', action: 'reassign a work order', needsAssignee: true },
    cancel,
  ],
  en_route: [
    { to: 'on_site', party: 'assignee', action: 'check in on site' },
    { to: 'assigned', party: 'office', action: 'reassign a work order', needsAssignee: true },
    cancel,
  ],
  on_site: [
    {
      to: 'in_progress',
      party: 'assignee',
      action: 'start the work',
      // Work on a charger means live high voltage: the checklist (lock-out, PPE ...) comes first.
      needsChecklist: true,
    },
    {
      to: 'cannot_fix',
      party: 'assignee',
      action: 'report that it cannot be fixed',
      reasonPrompt: 'Say why it cannot be fixed',
    },
  ],
  in_progress: [
    { to: 'resolved', party: 'assignee', action: 'mark the work order resolved' },
    {
      to: 'cannot_fix',
      party: 'assignee',
      action: 'report that it cannot be fixed',
      reasonPrompt: 'Say why it cannot be fixed',
    },
  ],
  resolved: [
    {
      to: 'verified',
      party: 'system',
      action: 'verify a repair',
      // Verification is evidence, not an opinion: the charger's own OCPP report after the repair.
      refusal: "A repair is verified by the charger's own report after the repair, not by a person",
    },
    {
      to: 'accepted',
      party: 'system',
      action: 'reopen a resolved work order',
      reasonPrompt: 'Give a reason for reopening',
      refusal:
        "A resolved work order is reopened only when the charger's report shows the repair did not hold",
    },
  ],
  cannot_fix: [
    { to: 'assigned', party: 'office', action: 'reassign a work order', needsAssignee: true },
    {
      to: 'closed',
      party: 'office',
      action: 'close a work order that cannot be fixed',
      reasonPrompt: 'Give a reason for closing without a fix',
    },
  ],
  verified: [{ to: 'closed', party: 'office-or-system', action: 'close a work order' }],
  closed: [],
  cancelled: [],
};

/**
 * Whether an actor may move a work order from one status to another with the given facts, and if
 * not, one sentence saying why (shown to the user as is). Checks the edge, then the actor, then
 * the facts, so the first thing to fix is the thing reported.
 */
export function checkTransition(
  from: WorkOrderStatus,
  to: WorkOrderStatus,
  actor: TransitionActor,
  facts: TransitionFacts,
): TransitionCheck {
  const edge = edges[from].find((candidate) => candidate.to === to);
  if (!edge) {
    return refuse(
      from === to
        ? `The work order is already ${statusLabels[to]}`
        : `A work order that is ${statusLabels[from]} cannot become ${statusLabels[to]}`,
    );
  }
  if (!partyIncludes(edge.party, actor)) return refuse(edge.refusal ?? whoMay(edge, actor));
  if (edge.needsAssignee && !facts.hasAssignee) return refuse('Choose a technician to assign');
  if (edge.needsChecklist && !facts.checklistComplete) {
    return refuse('Confirm the safety checklist before starting the work');
  }
  if (edge.reasonPrompt !== undefined && !facts.reason?.trim()) return refuse(edge.reasonPrompt);
  return { ok: true };
}

/**
 * The statuses this actor may move the order to now, with these facts, in display order. Steps
 * that still need a reason or an assignee are left out until those are given; for buttons that
 * open a dialog asking for them, use possibleTransitions and transitionRequirements.
 */
export function allowedTransitions(
  from: WorkOrderStatus,
  actor: TransitionActor,
  facts: TransitionFacts,
): WorkOrderStatus[] {
  return edges[from].filter((edge) => checkTransition(from, edge.to, actor, facts).ok).map((edge) => edge.to);
}

/**
 * The statuses this actor could move the order to once they supply what the step needs (a reason,
 * an assignee, the checklist), in display order: the buttons to show, each opening its dialog.
 */
export function possibleTransitions(from: WorkOrderStatus, actor: TransitionActor): WorkOrderStatus[] {
  return edges[from].filter((edge) => partyIncludes(edge.party, actor)).map((edge) => edge.to);
}

/** What a transition needs besides the right actor, or null if it is not a transition at all. */
export function transitionRequirements(
  from: WorkOrderStatus,
  to: WorkOrderStatus,
): TransitionRequirements | null {
  const edge = edges[from].find((candidate) => candidate.to === to);
  if (!edge) return null;
  return {
    party: edge.party,
    assignee: edge.needsAssignee === true,
    reason: edge.reasonPrompt !== undefined,
    checklist: edge.needsChecklist === true,
  };
}

// --- helpers ----------------------------------------------------------------------------------

function partyIncludes(party: TransitionParty, actor: TransitionActor): boolean {
  const office = actor.kind === 'manager' || actor.kind === 'admin';
  switch (party) {
    // Only the technician on the order does field steps: the status is their word that they are
    // there, so nobody else can say it for them.
    case 'assignee':
      return actor.kind === 'technician' && actor.isAssignee;
    case 'office':
      return office;
    case 'office-or-system':
      return office || actor.kind === 'system';
    case 'system':
      return actor.kind === 'system';
  }
}

function whoMay(edge: Edge, actor: TransitionActor): string {
  switch (edge.party) {
    case 'assignee':
      return actor.kind === 'manager' || actor.kind === 'admin'
        ? `Only the assigned technician can ${edge.action}; ${actor.kind === 'admin' ? 'an admin' : 'a manager'} cannot do it on their behalf`
        : `Only the assigned technician can ${edge.action}`;
    case 'office':
    case 'office-or-system':
      return `Only a manager or admin can ${edge.action}`;
    case 'system':
      return `Only the system can ${edge.action}`;
  }
}

function refuse(reason: string): TransitionCheck {
  return { ok: false, reason };
}
