'use client';

import { useActionState, useState } from 'react';
import { deleteLoadNodeAction, saveLoadNodeAction } from '@/lib/actions/load';
import type { ActionResult } from '@/lib/actions/define-action';
import type { LoadNodeView } from '@/lib/services/load-views';
import { Alert } from '@/components/ui/alert';
import { Button, type ButtonVariant } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';
import { formatKw } from './format';
import { formError } from './form-errors';
import { ScheduleEditor } from './schedule-editor';

const safeSaveLoadNodeAction = resilient(saveLoadNodeAction);
const safeDeleteLoadNodeAction = resilient(deleteLoadNodeAction);

/** A node a new one can hang under, indented by its depth in the tree. */
export interface ParentOption {
  id: string;
  name: string;
  depth: number;
  phases: number;
}

type NodeState = ActionResult<{ id: string }> | null;

const nodeFields = [
  'parentId',
  'kind',
  'name',
  'limitValue',
  'limitUnit',
  'voltage',
  'phases',
  'safetyMarginPercent',
  'schedule',
];

/** The fields of a node, shared by the grid connection's set-up form and the node dialog. */
function NodeFields({
  state,
  siteId,
  node,
  isRoot,
  parents,
  defaultParentId,
  gridCapacityW,
  timeZone,
}: {
  state: NodeState;
  siteId: string;
  node: LoadNodeView | null;
  isRoot: boolean;
  parents: ParentOption[];
  defaultParentId?: string;
  gridCapacityW: number | null;
  timeZone: string;
}) {
  const [unit, setUnit] = useState<'A' | 'kW'>(node?.limitUnit === 'A' ? 'A' : node?.limitUnit ? 'kW' : 'A');
  const limitValue =
    node?.limitValue == null ? '' : String(node.limitUnit === 'W' ? node.limitValue / 1000 : node.limitValue);
  const limitHint = isRoot
    ? gridCapacityW
      ? `Blank: the site's grid capacity, ${formatKw(gridCapacityW)}`
      : 'Blank: no limit'
    : 'Blank: only what the nodes above allow';
  const parent = node ? parents.find((p) => p.id === node.parentId) : undefined;
  const error = formError(state, nodeFields);
  return (
    <div className="space-y-4">
      <input type="hidden" name="siteId" value={siteId} />
      {node ? <input type="hidden" name="id" value={node.id} /> : null}
      {isRoot ? <input type="hidden" name="kind" value="site" /> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {!isRoot ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Under"
            name="parentId"
            defaultValue={parent?.id ?? defaultParentId ?? parents[0]?.id ?? ''}
            error={fieldError(state, 'parentId')}
          >
            {parents
              .filter((p) => p.id !== node?.id)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {`${'\u2003'.repeat(p.depth)}${p.name}`}
                </option>
              ))}
          </SelectField>
          <SelectField
            label="Kind"
            name="kind"
            defaultValue={node?.kind ?? 'circuit'}
            error={fieldError(state, 'kind')}
          >
            <option value="feeder">Feeder</option>
            <option value="panel">Panel</option>
            <option value="circuit">Circuit</option>
          </SelectField>
        </div>
      ) : null}
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        defaultValue={node?.name ?? (isRoot ? 'Grid connection' : '')}
        placeholder={isRoot ? 'Grid connection' : 'Panel B, Level 2 circuit 4'}
        error={fieldError(state, 'name')}
      />
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_10rem]">
        <TextField
          label="Limit"
          name="limitValue"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          defaultValue={limitValue}
          error={fieldError(state, 'limitValue')}
          hint={limitHint}
        />
        <SelectField
          label="Unit"
          name="limitUnit"
          value={unit}
          onChange={(e) => setUnit(e.target.value === 'A' ? 'A' : 'kW')}
          error={fieldError(state, 'limitUnit')}
        >
          <option value="A">A per phase</option>
          <option value="kW">kW (all phases)</option>
        </SelectField>
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          label="Voltage (V)"
          name="voltage"
          type="number"
          inputMode="decimal"
          defaultValue={String(node?.voltage ?? 230)}
          error={fieldError(state, 'voltage')}
          hint="Line to neutral: 120 for US 208Y/120, 230 for 230/400 V Europe"
        />
        <SelectField
          label="Phases"
          name="phases"
          defaultValue={String(node?.phases ?? 3)}
          error={fieldError(state, 'phases')}
        >
          <option value="3">Three</option>
          <option value="1">One</option>
        </SelectField>
        <TextField
          label="Safety margin (%)"
          name="safetyMarginPercent"
          type="number"
          inputMode="decimal"
          min={0}
          max={50}
          defaultValue={String(node?.safetyMarginPercent ?? 0)}
          error={fieldError(state, 'safetyMarginPercent')}
          hint="Kept free below the limit, 0 to 50"
        />
      </div>
      <ScheduleEditor
        initial={node?.schedule ?? []}
        error={fieldError(state, 'schedule')}
        timeZone={timeZone}
        defaultUnit={unit}
      />
    </div>
  );
}

/**
 * The first step of load management at a site: its grid connection, the root of the tree. Shown in
 * place of the tree until it exists.
 */
export function GridSetupForm({
  siteId,
  gridCapacityW,
  timeZone,
}: {
  siteId: string;
  gridCapacityW: number | null;
  timeZone: string;
}) {
  const [state, action, pending] = useActionState(safeSaveLoadNodeAction, null);
  return (
    <form
      onSubmit={submitWithoutReset(action)}
      className="space-y-4"
      noValidate
      aria-label="Set up the grid connection"
    >
      <NodeFields
        state={state}
        siteId={siteId}
        node={null}
        isRoot
        parents={[]}
        gridCapacityW={gridCapacityW}
        timeZone={timeZone}
      />
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Set up load management'}
        </Button>
      </div>
    </form>
  );
}

/** Adds a node (under a chosen parent) or edits one, in a dialog. */
export function NodeDialog({
  siteId,
  node,
  isRoot = false,
  parents,
  defaultParentId,
  gridCapacityW,
  timeZone,
  triggerLabel,
  triggerAriaLabel,
  triggerVariant = 'secondary',
  compact = false,
}: {
  siteId: string;
  /** Null: a new node. */
  node: LoadNodeView | null;
  isRoot?: boolean;
  parents: ParentOption[];
  defaultParentId?: string;
  gridCapacityW: number | null;
  timeZone: string;
  triggerLabel: string;
  triggerAriaLabel?: string;
  triggerVariant?: ButtonVariant;
  compact?: boolean;
}) {
  const [state, action, pending] = useActionState(safeSaveLoadNodeAction, null);
  const { open, setOpen } = useFormDialog(state);
  const title = node ? `Edit ${node.name}` : 'Add a node';
  return (
    <>
      <Button
        variant={triggerVariant}
        className={compact ? 'px-2.5 py-1 text-xs' : ''}
        aria-label={triggerAriaLabel}
        onClick={() => setOpen(true)}
      >
        {triggerLabel}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={title}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-5" noValidate>
          <NodeFields
            state={state}
            siteId={siteId}
            node={node}
            isRoot={isRoot}
            parents={parents}
            defaultParentId={defaultParentId}
            gridCapacityW={gridCapacityW}
            timeZone={timeZone}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            {node ? 'Save' : 'Add node'}
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

/** Deletes a node without children, after asking; its stations move up to the grid connection. */
export function DeleteNodeButton({ node }: { node: { id: string; name: string } }) {
  const [state, action, pending] = useActionState(safeDeleteLoadNodeAction, null);
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button
        variant="ghost"
        className="px-2.5 py-1 text-xs text-rose-700"
        aria-label={`Delete ${node.name}`}
        onClick={() => setOpen(true)}
      >
        Delete
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Delete ${node.name}?`}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="id" value={node.id} />
          {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
          <p className="text-sm text-slate-700">
            Its limits stop applying at once. Stations placed on it move up to the grid connection; nodes
            under it must be moved or deleted first.
          </p>
          <DialogActions onCancel={() => setOpen(false)} disabled={pending} variant="danger">
            Delete node
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
