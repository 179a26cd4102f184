import { EnvironmentBody, type ContainerDetail } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Button, ErrorNotice, FieldNote } from '../../components/ui.js';

/** Sets or clears a container's environment tag: Berth keeps it, no recreate needed. */
export function EnvironmentTagEditor({ container }: { container: ContainerDetail }) {
  const host = useCurrentHost();
  const id = useId();
  const queries = useQueryClient();
  const [value, setValue] = useState(container.environment ?? '');
  const [error, setError] = useState<unknown>(null);
  const checked = EnvironmentBody.safeParse({ environment: value.trim() || null });
  const save = async (environment: string | null): Promise<void> => {
    setError(null);
    try {
      const saved = await client.containers.setEnvironment({
        params: { host, id: container.id },
        body: { environment },
      });
      setValue(saved.environment ?? '');
      queries.setQueryData(keys.container(host, container.id), saved);
      void queries.invalidateQueries({ queryKey: keys.containers(host) });
    } catch (err) {
      setError(err);
    }
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (checked.success) void save(checked.data.environment);
  };
  return (
    <form className="toolbar" onSubmit={submit}>
      <label htmlFor={id}>Environment tag</label>
      <input
        id={id}
        list={`${id}-choices`}
        value={value}
        placeholder="dev, staging, prod"
        aria-invalid={checked.success ? undefined : true}
        aria-describedby={checked.success ? undefined : `${id}-error`}
        onChange={(e) => setValue(e.target.value)}
      />
      <datalist id={`${id}-choices`}>
        {['dev', 'test', 'staging', 'prod'].map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      <Button type="submit" disabled={!checked.success}>
        Save tag
      </Button>
      {container.environment && <Button onClick={() => void save(null)}>Clear tag</Button>}
      <FieldNote id={id} error={checked.success ? undefined : checked.error.issues[0]?.message} />
      <ErrorNotice error={error} />
    </form>
  );
}
