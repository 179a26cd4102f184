import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { Dialog, DialogClose } from './Dialog.js';
import { Button, ErrorNotice } from './ui.js';

/**
 * A form's save: the checked body sent, the dialog closed on success; a refusal's field errors
 * (a 400 naming the field) put under the fields, any other failure said under the form.
 */
export function useSave(onDone: () => void) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const save = async (step: () => Promise<unknown>): Promise<void> => {
    setErrors({});
    setFailure(null);
    try {
      await step();
      onDone();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };
  return { errors, setErrors, failure, save };
}

/** A dialog holding one form: its fields, what went wrong, Cancel and the submit button. */
export function FormDialog({
  title,
  description,
  side = false,
  submitLabel,
  failure,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  description?: string;
  side?: boolean;
  submitLabel: string;
  failure: unknown;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Dialog
      title={title}
      {...(description ? { description } : {})}
      open
      side={side}
      onOpenChange={(open) => !open && onClose()}
    >
      <form className="form" onSubmit={submit} noValidate>
        {children}
        <ErrorNotice error={failure} />
        <div className="dialog-actions">
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="primary">
            {submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
