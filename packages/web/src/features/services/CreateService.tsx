import type { ServiceCreate } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { FormDialog, useSave } from '../../components/FormDialog.js';
import { Field } from '../../components/ui.js';
import type { ServiceOutcome } from './ServiceDialogs.js';

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Create a service: the common fields; placement, update policy and files folded away. */
export function CreateServiceDialog({
  onClose,
  onDone,
}: {
  onClose: () => void;
  onDone: (outcome: ServiceOutcome) => void;
}) {
  const host = useCurrentHost();
  const [f, setF] = useState({
    name: '',
    image: '',
    mode: 'replicated' as 'replicated' | 'global',
    replicas: '1',
    command: '',
    env: '',
    port: '',
    published: '',
    networks: '',
    constraints: '',
    secrets: '',
    parallelism: '1',
    failureAction: 'pause' as 'pause' | 'rollback' | 'continue',
  });
  const set = (key: keyof typeof f) => (value: string) => setF((was) => ({ ...was, [key]: value }));
  let cli = '';
  const { errors, failure, save } = useSave(() => onDone({ message: `Created ${f.name}`, cli }));
  const body = (): ServiceCreate => ({
    name: f.name,
    image: f.image,
    mode: f.mode,
    ...(f.mode === 'replicated' ? { replicas: Number(f.replicas) } : {}),
    ...(f.command ? { command: ['sh', '-c', f.command] } : {}),
    ...(f.env
      ? {
          env: Object.fromEntries(
            lines(f.env).map((l) => [l.split('=')[0] ?? l, l.split('=').slice(1).join('=')]),
          ),
        }
      : {}),
    ...(f.port
      ? {
          ports: [
            {
              target: Number(f.port),
              ...(f.published ? { published: Number(f.published) } : {}),
              protocol: 'tcp' as const,
              mode: 'ingress' as const,
            },
          ],
        }
      : {}),
    ...(f.networks ? { networks: lines(f.networks) } : {}),
    ...(f.constraints ? { constraints: lines(f.constraints) } : {}),
    ...(f.secrets
      ? { secrets: lines(f.secrets).map((name) => ({ name, uid: '0', gid: '0', mode: 0o444 })) }
      : {}),
    updateConfig: { parallelism: Number(f.parallelism), failureAction: f.failureAction },
  });
  const area = (id: string, label: string, key: keyof typeof f, hint: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="svc-value"
        value={f[key]}
        onChange={(e) => set(key)(e.target.value)}
      />
      <small className={errors[key] ? 'field-error' : 'hint'}>{errors[key] ?? hint}</small>
    </div>
  );
  return (
    <FormDialog
      title="Create service"
      side
      submitLabel="Create"
      failure={failure}
      onClose={onClose}
      onSubmit={() =>
        void save(async () => {
          cli = (await client.services.create({ params: { host }, body: body() })).cli;
        })
      }
    >
      <Field
        label="Name"
        value={f.name}
        error={errors.name}
        onChange={(e) => set('name')(e.target.value)}
      />
      <Field
        label="Image"
        value={f.image}
        error={errors.image}
        onChange={(e) => set('image')(e.target.value)}
      />
      <div className="field">
        <label htmlFor="svc-mode">Mode</label>
        <select id="svc-mode" value={f.mode} onChange={(e) => set('mode')(e.target.value)}>
          <option value="replicated">Replicated</option>
          <option value="global">Global (one task per node)</option>
        </select>
      </div>
      {f.mode === 'replicated' && (
        <Field
          label="Replicas"
          type="number"
          min={0}
          value={f.replicas}
          error={errors.replicas}
          onChange={(e) => set('replicas')(e.target.value)}
        />
      )}
      <Field
        label="Command (run with sh -c)"
        value={f.command}
        error={errors.command}
        onChange={(e) => set('command')(e.target.value)}
      />
      <Field
        label="Container port"
        inputMode="numeric"
        value={f.port}
        error={errors['ports.0.target']}
        onChange={(e) => set('port')(e.target.value)}
      />
      <Field
        label="Published port (ingress)"
        inputMode="numeric"
        value={f.published}
        error={errors['ports.0.published']}
        onChange={(e) => set('published')(e.target.value)}
      />
      <details className="svc-advanced">
        <summary>Environment, networks, placement, secrets</summary>
        {area('svc-c-env', 'Environment', 'env', 'KEY=value, one a line')}
        {area('svc-c-net', 'Networks', 'networks', 'Overlay network names, one a line')}
        {area('svc-c-con', 'Constraints', 'constraints', 'e.g. node.role==manager, one a line')}
        {area('svc-c-sec', 'Secrets', 'secrets', 'Secret names, one a line: /run/secrets/<name>')}
      </details>
      <details className="svc-advanced">
        <summary>Update policy</summary>
        <Field
          label="Tasks updated at once"
          type="number"
          min={0}
          value={f.parallelism}
          error={errors['updateConfig.parallelism']}
          onChange={(e) => set('parallelism')(e.target.value)}
        />
        <div className="field">
          <label htmlFor="svc-fail">When an update fails</label>
          <select
            id="svc-fail"
            value={f.failureAction}
            onChange={(e) => set('failureAction')(e.target.value)}
          >
            <option value="pause">Pause</option>
            <option value="rollback">Roll back</option>
            <option value="continue">Continue</option>
          </select>
        </div>
      </details>
    </FormDialog>
  );
}
