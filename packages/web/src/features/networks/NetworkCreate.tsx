import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Dialog, DialogClose } from '../../components/Dialog.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';
import type { NetworkOutcome } from './NetworkRemoval.js';

/** The "Create network" button and its dialog: a name, and a subnet Berth can suggest. */
export function NetworkCreate({ onCreated }: { onCreated: (outcome: NetworkOutcome) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      title="Create network"
      open={open}
      onOpenChange={setOpen}
      trigger={<Button variant="primary">Create network</Button>}
    >
      <NetworkCreateForm
        onCreated={(outcome) => {
          setOpen(false);
          onCreated(outcome);
        }}
      />
    </Dialog>
  );
}

function NetworkCreateForm({ onCreated }: { onCreated: (outcome: NetworkOutcome) => void }) {
  const host = useCurrentHost();
  const [form, setForm] = useState({ name: '', subnet: '', expected: '10' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);

  const suggest = async (): Promise<void> => {
    setFailure(null);
    try {
      const s = await client.networks.suggestSubnet({
        params: { host },
        query: { expectedContainers: form.expected },
      });
      setForm((f) => ({ ...f, subnet: s.subnet ?? '' }));
      setErrors((e) => ({ ...e, expectedContainers: '' }));
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };
  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    try {
      const created = await client.networks.create({
        params: { host },
        body: { name: form.name, ...(form.subnet ? { subnet: form.subnet } : {}) },
      });
      onCreated({ message: `Created network ${created.name}`, cli: created.cli });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };

  return (
    <form onSubmit={(e) => void create(e)}>
      <Field
        label="Network name"
        value={form.name}
        required
        autoFocus
        onChange={(e) => setForm({ ...form, name: e.target.value })}
        error={errors.name}
      />
      <div className="row-fields">
        <Field
          label="Expected containers"
          inputMode="numeric"
          value={form.expected}
          onChange={(e) => setForm({ ...form, expected: e.target.value })}
          error={errors.expectedContainers}
        />
        <Button onClick={() => void suggest()}>Suggest subnet</Button>
      </div>
      <Field
        label="Subnet"
        value={form.subnet}
        onChange={(e) => setForm({ ...form, subnet: e.target.value })}
        error={errors.subnet}
        placeholder="172.20.0.0/24"
        hint="Leave empty to let Berth pick a free range"
      />
      <ErrorNotice error={failure} />
      <div className="dialog-actions">
        <DialogClose asChild>
          <Button>Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="primary">
          Create network
        </Button>
      </div>
    </form>
  );
}
