import type { SecretView } from '@berth/contract';
import { MoreHorizontal } from 'lucide-react';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { FormDialog, useSave } from '../../components/FormDialog.js';
import { Menu } from '../../components/Menu.js';
import { Button, Card, EmptyRow, ErrorNotice, Field, Page } from '../../components/ui.js';
import '../../styles/resource-list.css';
import './services.css';
import { OutcomeNotice, useOutcome } from './useOutcome.js';
import type { ServiceOutcome } from './ServiceDialogs.js';
import { useConfigs, useSecrets } from './service-queries.js';

type Kind = 'secret' | 'config';

/** Create a secret or config (or a secret's next version): the value is sent once, never shown again. */
function ValueDialog({
  kind,
  rotating,
  onClose,
  onDone,
}: {
  kind: Kind;
  rotating: SecretView | null;
  onClose: () => void;
  onDone: (outcome: ServiceOutcome) => void;
}) {
  const host = useCurrentHost();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  let outcome: ServiceOutcome | null = null;
  const { errors, failure, save } = useSave(() => outcome && onDone(outcome));
  const submit = async (): Promise<void> => {
    if (rotating) {
      const res = await client.secrets.rotate({
        params: { host, id: rotating.id },
        body: { value, removeOld: false },
      });
      const moved = res.services.map(
        (s) => `${s.name}: ${s.ok ? 'moved' : `failed (${s.error ?? ''})`}`,
      );
      outcome = {
        message: `Created ${res.secret.name}. ${moved.join('; ') || 'No service used it.'}`,
        cli: [res.cli, ...res.services.map((s) => s.cli)].join('\n'),
      };
    } else {
      const api = kind === 'secret' ? client.secrets : client.configs;
      const res = await api.create({ params: { host }, body: { name, value } });
      outcome = { message: `Created ${kind} ${res.name}`, cli: res.cli };
    }
    setValue('');
  };
  return (
    <FormDialog
      title={rotating ? `Rotate ${rotating.name}` : `Create ${kind}`}
      description={
        kind === 'secret'
          ? 'The value is stored encrypted in the swarm and never shown again.'
          : 'Configs are not secret: their data can be read back.'
      }
      submitLabel={rotating ? 'Rotate' : 'Create'}
      failure={failure}
      onClose={onClose}
      onSubmit={() => void save(submit)}
    >
      {!rotating && (
        <Field
          label="Name"
          value={name}
          error={errors.name}
          onChange={(e) => setName(e.target.value)}
        />
      )}
      <div className="field">
        <label htmlFor="secret-value">{rotating ? 'New value' : 'Value'}</label>
        <textarea
          id="secret-value"
          className="svc-value"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        {errors.value && <small className="field-error">{errors.value}</small>}
      </div>
      {rotating && (
        <p className="muted">
          Creates the next version and moves every service that uses {rotating.name} to it, with the
          same file name.
        </p>
      )}
    </FormDialog>
  );
}

function FileTable({
  kind,
  items,
  canWrite,
  onRotate,
  onRemove,
}: {
  kind: Kind;
  items: SecretView[];
  canWrite: boolean;
  onRotate: (s: SecretView) => void;
  onRemove: (s: SecretView) => void;
}) {
  return (
    <div className="list-scroll">
      <table className="list" aria-label={kind === 'secret' ? 'Secrets' : 'Configs'}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col">Used by</th>
            <th scope="col" className="c-wide">
              Created
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <EmptyRow columns={5} total={0} none={`No ${kind}s.`} noMatch="" />
          )}
          {items.map((s) => (
            <tr key={s.id} data-testid={`${kind}-row`} data-name={s.name}>
              <th scope="row">{s.name}</th>
              <td>{s.version}</td>
              <td>
                {s.usedBy.map((u) => u.name).join(', ') || (
                  <span className="muted">no service</span>
                )}
              </td>
              <td className="c-wide">{new Date(s.createdAt).toLocaleString()}</td>
              <td className="c-actions">
                <Menu
                  label={`Actions for ${s.name}`}
                  trigger={<MoreHorizontal size={16} aria-hidden />}
                  disabled={!canWrite}
                  items={[
                    ...(kind === 'secret'
                      ? [{ label: 'Rotate…', onSelect: () => onRotate(s) }]
                      : []),
                    { label: 'Remove…', danger: true, onSelect: () => onRemove(s) },
                  ]}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Secrets and configs of the swarm: which services use each, create, rotate, remove. */
export default function SecretsPage() {
  const host = useCurrentHost();
  const secrets = useSecrets(host);
  const configs = useConfigs(host);
  const { canWrite, outcome, actionError, setActionError, record } = useOutcome(host);
  const [creating, setCreating] = useState<Kind | null>(null);
  const [rotating, setRotating] = useState<SecretView | null>(null);
  const [removing, setRemoving] = useState<{ kind: Kind; item: SecretView } | null>(null);
  const done = (result: ServiceOutcome): void => {
    setCreating(null);
    setRotating(null);
    record(result);
  };
  const remove = async (kind: Kind, item: SecretView): Promise<void> => {
    setRemoving(null);
    try {
      const api = kind === 'secret' ? client.secrets : client.configs;
      const res = await api.remove({ params: { host, id: item.id } });
      done({ message: `Removed ${item.name}`, cli: res.cli });
    } catch (err) {
      setActionError(err);
    }
  };
  return (
    <Page title="Secrets & configs">
      <OutcomeNotice outcome={outcome} testId="secrets-outcome" />
      <ErrorNotice error={actionError ?? secrets.error ?? configs.error} />
      <Card
        title="Secrets"
        actions={canWrite && <Button onClick={() => setCreating('secret')}>Create secret</Button>}
      >
        <FileTable
          kind="secret"
          items={secrets.data ?? []}
          canWrite={canWrite}
          onRotate={setRotating}
          onRemove={(item) => setRemoving({ kind: 'secret', item })}
        />
      </Card>
      <Card
        title="Configs"
        actions={canWrite && <Button onClick={() => setCreating('config')}>Create config</Button>}
      >
        <FileTable
          kind="config"
          items={configs.data ?? []}
          canWrite={canWrite}
          onRotate={() => undefined}
          onRemove={(item) => setRemoving({ kind: 'config', item })}
        />
      </Card>
      {(creating ?? rotating) && (
        <ValueDialog
          kind={creating ?? 'secret'}
          rotating={rotating}
          onClose={() => {
            setCreating(null);
            setRotating(null);
          }}
          onDone={done}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.item.name ?? ''}?`}
        confirmLabel="Remove"
        confirmDisabled={(removing?.item.usedBy.length ?? 0) > 0}
        onConfirm={() => removing && void remove(removing.kind, removing.item)}
        onCancel={() => setRemoving(null)}
      >
        {(removing?.item.usedBy.length ?? 0) > 0
          ? `In use by ${removing?.item.usedBy.map((u) => u.name).join(', ') ?? ''}: remove it from those services first.`
          : 'It cannot be read back once removed.'}
        <CommandBlock
          command={removing ? `docker ${removing.kind} rm ${removing.item.name}` : null}
        />
      </ConfirmDialog>
    </Page>
  );
}
