import type { ServiceChange, ServiceDetail, ServiceSummary } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { FormDialog, useSave } from '../../components/FormDialog.js';
import { Field } from '../../components/ui.js';

export interface ServiceOutcome {
  message: string;
  cli: string;
}

/** Scale a replicated service: `docker service scale name=N`. */
export function ScaleDialog({
  service,
  onClose,
  onDone,
}: {
  service: ServiceSummary;
  onClose: () => void;
  onDone: (outcome: ServiceOutcome) => void;
}) {
  const host = useCurrentHost();
  const [replicas, setReplicas] = useState(String(service.replicas ?? 1));
  let result: ServiceChange | null = null;
  const { errors, failure, save } = useSave(() => {
    if (result) onDone({ message: `Scaled ${service.name} to ${replicas}`, cli: result.cli });
  });
  return (
    <FormDialog
      title={`Scale ${service.name}`}
      submitLabel="Scale"
      failure={failure}
      onClose={onClose}
      onSubmit={() =>
        void save(async () => {
          result = await client.services.scale({
            params: { host, id: service.id },
            body: { replicas: Number(replicas) },
          });
        })
      }
    >
      <Field
        label="Replicas"
        type="number"
        min={0}
        value={replicas}
        error={errors.replicas}
        onChange={(e) => setReplicas(e.target.value)}
      />
    </FormDialog>
  );
}

function envRecord(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const at = l.indexOf('=');
        return at < 0 ? [l, ''] : [l.slice(0, at), l.slice(at + 1)];
      }),
  );
}

/** Update image, replicas and env at the version read (a stale one is refused). */
export function UpdateDialog({
  service,
  onClose,
  onDone,
}: {
  service: ServiceDetail;
  onClose: () => void;
  onDone: (outcome: ServiceOutcome) => void;
}) {
  const host = useCurrentHost();
  const [image, setImage] = useState(service.image.replace(/@sha256:[0-9a-f]+$/, ''));
  const [replicas, setReplicas] = useState(String(service.replicas ?? ''));
  const [env, setEnv] = useState(service.env.join('\n'));
  const [parallelism, setParallelism] = useState('1');
  let result: ServiceChange | null = null;
  const { errors, failure, save } = useSave(() => {
    if (result) onDone({ message: `Updating ${service.name}`, cli: result.cli });
  });
  return (
    <FormDialog
      title={`Update ${service.name}`}
      description="A rolling update: tasks are replaced a few at a time."
      side
      submitLabel="Update"
      failure={failure}
      onClose={onClose}
      onSubmit={() =>
        void save(async () => {
          result = await client.services.update({
            params: { host, id: service.id },
            body: {
              version: service.version,
              ...(image !== service.image ? { image } : {}),
              ...(service.mode === 'replicated' && replicas !== String(service.replicas)
                ? { replicas: Number(replicas) }
                : {}),
              ...(env !== service.env.join('\n') ? { env: envRecord(env) } : {}),
              updateConfig: { parallelism: Number(parallelism) },
            },
          });
        })
      }
    >
      <Field
        label="Image"
        value={image}
        error={errors.image}
        onChange={(e) => setImage(e.target.value)}
      />
      {service.mode === 'replicated' && (
        <Field
          label="Replicas"
          type="number"
          min={0}
          value={replicas}
          error={errors.replicas}
          onChange={(e) => setReplicas(e.target.value)}
        />
      )}
      <div className="field">
        <label htmlFor="svc-env">Environment (KEY=value, one a line)</label>
        <textarea
          id="svc-env"
          className="svc-value"
          value={env}
          onChange={(e) => setEnv(e.target.value)}
        />
      </div>
      <Field
        label="Tasks updated at once"
        type="number"
        min={0}
        value={parallelism}
        error={errors['updateConfig.parallelism']}
        onChange={(e) => setParallelism(e.target.value)}
      />
      {errors.version && <p className="notice notice-bad">{errors.version}</p>}
    </FormDialog>
  );
}
