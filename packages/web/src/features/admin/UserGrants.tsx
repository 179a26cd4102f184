import type { UserView } from '@berth/contract';
import { useId, useState } from 'react';
import { useHosts } from '../../api/queries.js';
import { Dialog, DialogClose } from '../../components/Dialog.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';
import { parseLabels } from '../hosts/host-form.js';

/** Which hosts a user may see: hosts by name, and every host carrying one of the labels. */
export interface Grants {
  hosts: string[];
  hostLabels: string[];
}

/** "local, nas; labels home": what a row of the users table says about a user's hosts. */
export function grantsText(user: Pick<UserView, 'role' | 'hosts' | 'hostLabels'>): string {
  if (user.role === 'admin') return 'all';
  const parts = [user.hosts.join(', ') || 'no host'];
  if (user.hostLabels.length > 0) parts.push(`labels ${user.hostLabels.join(', ')}`);
  return parts.join('; ');
}

/** Checkboxes for the hosts there are, and a field for labels (hosts added later included). */
export function GrantsFields({
  value,
  onChange,
  errors = {},
}: {
  value: Grants;
  onChange: (grants: Grants) => void;
  errors?: Record<string, string>;
}) {
  const id = useId();
  const hosts = useHosts();
  const [labels, setLabels] = useState(value.hostLabels.join(', '));
  const known = (hosts.data ?? []).map((h) => h.id);
  // A granted host that is gone stays listed, so saving does not drop it unasked.
  const choices = [...new Set([...known, ...value.hosts])];
  const allLabels = [...new Set((hosts.data ?? []).flatMap((h) => h.labels))].sort();
  const toggle = (host: string, on: boolean): void =>
    onChange({
      ...value,
      hosts: on ? [...value.hosts, host] : value.hosts.filter((h) => h !== host),
    });
  return (
    <>
      <fieldset className="grant-hosts" aria-describedby={errors.hosts ? `${id}-e` : undefined}>
        <legend>Hosts</legend>
        {choices.map((host) => (
          <label key={host} className="toggle">
            <input
              type="checkbox"
              checked={value.hosts.includes(host)}
              onChange={(e) => toggle(host, e.target.checked)}
            />{' '}
            {host}
          </label>
        ))}
        {errors.hosts && (
          <small id={`${id}-e`} className="field-error" role="alert">
            {errors.hosts}
          </small>
        )}
      </fieldset>
      <Field
        label="Host labels"
        value={labels}
        placeholder={allLabels.join(', ') || 'home, vps'}
        hint={
          allLabels.length > 0
            ? `Every host with one of these, now and later. Labels in use: ${allLabels.join(', ')}`
            : 'Every host with one of these labels, now and later'
        }
        onChange={(e) => {
          setLabels(e.target.value);
          onChange({ ...value, hostLabels: parseLabels(e.target.value) });
        }}
        error={
          errors.hostLabels ??
          Object.entries(errors).find(([k]) => k.startsWith('hostLabels.'))?.[1]
        }
      />
    </>
  );
}

/** The "Hosts…" button of a user's row: changes what the user is granted. */
export function EditGrants({
  user,
  onSave,
}: {
  user: UserView;
  onSave: (grants: Grants) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [grants, setGrants] = useState<Grants>({ hosts: user.hosts, hostLabels: user.hostLabels });
  const [error, setError] = useState<unknown>(null);
  return (
    <Dialog
      title={`Hosts of ${user.username}`}
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setGrants({ hosts: user.hosts, hostLabels: user.hostLabels });
        setError(null);
      }}
      trigger={
        <Button className="btn-small" aria-label={`Hosts of ${user.username}`}>
          Hosts…
        </Button>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSave(grants).then(
            () => setOpen(false),
            (err: unknown) => setError(err),
          );
        }}
      >
        <GrantsFields value={grants} onChange={setGrants} />
        <ErrorNotice error={error} />
        <div className="dialog-actions">
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="primary">
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
