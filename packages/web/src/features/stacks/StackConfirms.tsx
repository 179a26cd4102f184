import type { StackSummary } from '@berth/contract';
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { countOf } from '../../components/ui.js';

export type StackConfirm = { kind: 'down' | 'delete'; stack: StackSummary } | null;

const containersOf = (stack: StackSummary): number =>
  stack.services.reduce((sum, s) => sum + s.containers.length, 0);

/** Asks before down (optionally with the volumes) and delete, naming what goes. */
export function StackConfirms({
  confirm,
  onCancel,
  onDown,
  onDelete,
}: {
  confirm: StackConfirm;
  onCancel: () => void;
  onDown: (stack: StackSummary, removeVolumes: boolean) => void;
  onDelete: (stack: StackSummary, down: boolean, removeVolumes: boolean) => void;
}) {
  const [volumes, setVolumes] = useState(false);
  const [downFirst, setDownFirst] = useState(true);
  const stack = confirm?.stack;
  const containers = stack ? containersOf(stack) : 0;
  const close = (): void => {
    setVolumes(false);
    setDownFirst(true);
    onCancel();
  };
  return (
    <>
      <ConfirmDialog
        open={confirm?.kind === 'down'}
        title={`Take ${stack?.name ?? 'the stack'} down?`}
        confirmLabel={volumes ? 'Down and remove volumes' : 'Down'}
        onCancel={close}
        onConfirm={() => {
          if (stack) onDown(stack, volumes);
          close();
        }}
      >
        {stack && (
          <>
            <p>
              Removes {countOf(containers, 'container')} of{' '}
              {stack.services.map((s) => s.name).join(', ') || 'its services'} and the stack’s
              networks. The files stay: deploy brings it back.
            </p>
            <Toggle checked={volumes} onChange={setVolumes}>
              Also remove the stack’s named volumes (their data is lost)
            </Toggle>
          </>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm?.kind === 'delete'}
        title={`Delete ${stack?.name ?? 'the stack'}?`}
        confirmLabel={volumes ? 'Delete stack and volumes' : 'Delete stack'}
        confirmDisabled={containers > 0 && !downFirst}
        onCancel={close}
        onConfirm={() => {
          if (stack) onDelete(stack, containers > 0 && downFirst, volumes);
          close();
        }}
      >
        {stack && (
          <>
            <p>
              The stack’s folder{stack.workingDir ? ` (${stack.workingDir})` : ''} and all its files
              are deleted, with its history.
            </p>
            {containers > 0 && (
              <>
                <Toggle checked={downFirst} onChange={setDownFirst}>
                  Take it down first (removes its {countOf(containers, 'container')} and networks)
                </Toggle>
                {!downFirst && (
                  <p className="muted">
                    A stack with containers cannot be deleted while they exist.
                  </p>
                )}
              </>
            )}
            <Toggle checked={volumes} onChange={setVolumes}>
              Also remove the stack’s named volumes (their data is lost)
            </Toggle>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}

function Toggle({
  checked,
  onChange,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="toggle">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />{' '}
      {children}
    </label>
  );
}
