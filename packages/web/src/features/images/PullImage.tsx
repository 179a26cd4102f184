import { PullRequest } from '@berth/contract';
import { useState, type FormEvent } from 'react';
import { Button, Field } from '../../components/ui.js';
import type { ImageTransfer } from './image-transfer.js';
import { TransferProgress } from './TransferProgress.js';

/**
 * The pull dialog's body: a reference, then the per-layer progress live from the host events; a
 * pull can be cancelled. The transfer lives in the page, so closing the dialog loses nothing.
 */
export function PullImage({ pull }: { pull: ImageTransfer }) {
  const [reference, setReference] = useState(pull.transfer?.image ?? '');
  const [invalid, setInvalid] = useState<string | undefined>(undefined);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const parsed = PullRequest.safeParse({ image: reference.trim() });
    setInvalid(parsed.success ? undefined : parsed.error.issues[0]?.message);
    if (parsed.success) void pull.start(parsed.data.image);
  };

  return (
    <>
      <form className="form-inline" onSubmit={submit} noValidate>
        <Field
          label="Image"
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          error={invalid}
          placeholder="registry.local:5000/app:1"
          hint="A reference such as nginx:1.27 or registry.local:5000/team/app:1"
          autoFocus
        />
        <Button type="submit" variant="primary" disabled={pull.transfer?.status === 'running'}>
          Pull
        </Button>
      </form>
      <TransferProgress kind="pull" state={pull} />
    </>
  );
}
