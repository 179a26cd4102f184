import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Dialog, DialogClose } from '../../components/Dialog.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';

/** The "Create volume" button and its dialog. */
export function VolumeCreate({
  onCreated,
}: {
  onCreated: (created: { name: string; cli: string }) => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      title="Create volume"
      open={open}
      onOpenChange={setOpen}
      trigger={<Button variant="primary">Create volume</Button>}
    >
      <VolumeCreateForm
        onCreated={(created) => {
          setOpen(false);
          onCreated(created);
        }}
      />
    </Dialog>
  );
}

function VolumeCreateForm({
  onCreated,
}: {
  onCreated: (created: { name: string; cli: string }) => void;
}) {
  const host = useCurrentHost();
  const [form, setForm] = useState({ name: '', driver: 'local' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      const created = await client.volumes.create({
        params: { host },
        body: { ...(form.name ? { name: form.name } : {}), driver: form.driver || 'local' },
      });
      onCreated(created);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(err);
    }
  };
  return (
    <form onSubmit={(e) => void create(e)}>
      <Field
        label="Volume name"
        value={form.name}
        autoFocus
        hint="Leave empty for a generated name"
        error={errors.name}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
      />
      <Field
        label="Driver"
        value={form.driver}
        error={errors.driver}
        onChange={(e) => setForm({ ...form, driver: e.target.value })}
      />
      <ErrorNotice error={error} />
      <div className="dialog-actions">
        <DialogClose asChild>
          <Button>Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="primary">
          Create volume
        </Button>
      </div>
    </form>
  );
}
