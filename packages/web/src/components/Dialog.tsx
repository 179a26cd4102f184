import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';

/**
 * A modal dialog or side panel (Radix: focus trap, Escape, labelled by its title, focus back on
 * the trigger). Give `trigger` for a self-contained dialog, or `open`/`onOpenChange` to drive it.
 * The body stays mounted only while open, so forms start clean each time.
 */
export function Dialog({
  title,
  description,
  trigger,
  open,
  onOpenChange,
  side = false,
  wide = false,
  children,
}: {
  title: string;
  /** One line under the title, read out with it. */
  description?: ReactNode;
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** A panel sliding in at the right edge (long forms, progress) instead of a centred dialog. */
  side?: boolean;
  wide?: boolean;
  children: ReactNode;
}) {
  const rootProps = open === undefined ? {} : { open };
  return (
    <RadixDialog.Root {...rootProps} {...(onOpenChange ? { onOpenChange } : {})}>
      {trigger && <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger>}
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="overlay" />
        <RadixDialog.Content
          className={`modal${side ? ' modal-side' : ''}${wide ? ' modal-wide' : ''}`}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <header className="modal-head">
            <RadixDialog.Title>{title}</RadixDialog.Title>
            <RadixDialog.Close className="btn btn-icon" aria-label="Close">
              <X size={18} aria-hidden />
            </RadixDialog.Close>
          </header>
          {description && (
            <RadixDialog.Description className="muted">{description}</RadixDialog.Description>
          )}
          <div className="modal-body">{children}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** Closes the dialog it is in (for a form's "Cancel" or a "Done" after success). */
export const DialogClose = RadixDialog.Close;
