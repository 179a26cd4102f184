import { PushRequest, type ImageSummary } from '@berth/contract';
import { useId, useState, type FormEvent } from 'react';
import { Button, FieldNote } from '../../components/ui.js';
import { useImageTransfer } from './image-transfer.js';
import { TransferProgress } from './TransferProgress.js';

/**
 * Pushes one of the image's tags to the registry its name points at (with the stored credentials
 * for that registry), with per-layer progress, the pushed digest, and cancel.
 */
export function PushImage({ image }: { image: ImageSummary }) {
  const selectId = useId();
  const [reference, setReference] = useState(image.tags[0] ?? '');
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const push = useImageTransfer('push');

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const parsed = PushRequest.safeParse({ image: reference });
    setInvalid(parsed.success ? undefined : parsed.error.issues[0]?.message);
    if (parsed.success) void push.start(parsed.data.image);
  };

  return (
    <>
      <form className="form-inline" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={selectId}>Tag to push</label>
          <select
            id={selectId}
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? `${selectId}-error` : undefined}
          >
            {image.tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
          <FieldNote
            id={selectId}
            error={invalid}
            hint="Pushed to the registry its name starts with"
          />
        </div>
        <Button type="submit" variant="primary" disabled={push.transfer?.status === 'running'}>
          Push
        </Button>
      </form>
      <TransferProgress kind="push" state={push} />
    </>
  );
}
