import type { ReactNode } from 'react';
import { Dialog } from './Dialog.js';
import { Button } from './ui.js';

/**
 * Asks before a destructive action, saying what will be lost. A Radix dialog (Dialog.tsx):
 * Escape, the close button and a click outside all cancel.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  confirmDisabled = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The action cannot be taken now (the dialog says why). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      title={title}
      open={open}
      onOpenChange={(next) => {
        if (!next) onCancel();
      }}
    >
      <div className="confirm-body">{children}</div>
      <div className="dialog-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="danger" onClick={onConfirm} disabled={confirmDisabled}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
