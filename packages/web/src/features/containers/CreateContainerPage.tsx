import { ContainerCreate, type ContainerCreated } from '@berth/contract';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, post } from '../../api/client.js';
import { onProgress } from '../../api/live.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Badge, Button, ErrorNotice, Field, Page } from '../../components/ui.js';

interface Draft {
  name: string;
  image: string;
  command: string;
  env: string;
  ports: string;
  restart: string;
  memoryMiB: string;
  cpus: string;
  environment: string;
  autoStart: boolean;
}

const EMPTY: Draft = {
  name: '',
  image: '',
  command: '',
  env: '',
  ports: '',
  restart: 'no',
  memoryMiB: '',
  cpus: '',
  environment: '',
  autoStart: true,
};
const DRAFT_KEY = 'berth.createDraft';

/** Turns the form into the create body; the same schema as the server checks it. */
function toBody(d: Draft): unknown {
  const env = Object.fromEntries(
    d.env
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) =>
        l.includes('=') ? [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] : [l, ''],
      ),
  );
  const ports = d.ports
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((p) => {
      const [mapping = '', protocol = 'tcp'] = p.split('/');
      const [host, container] = mapping.includes(':') ? mapping.split(':') : [undefined, mapping];
      return {
        containerPort: Number(container),
        ...(host ? { hostPort: Number(host) } : {}),
        protocol,
      };
    });
  return {
    ...(d.name ? { name: d.name } : {}),
    image: d.image,
    ...(d.command.trim() ? { command: ['sh', '-c', d.command] } : {}),
    ...(Object.keys(env).length ? { env } : {}),
    ...(ports.length ? { ports } : {}),
    ...(d.restart !== 'no' ? { restartPolicy: { name: d.restart } } : {}),
    ...(d.memoryMiB || d.cpus
      ? {
          resources: {
            ...(d.memoryMiB ? { memoryBytes: Number(d.memoryMiB) * 1024 * 1024 } : {}),
            ...(d.cpus ? { cpus: Number(d.cpus) } : {}),
          },
        }
      : {}),
    ...(d.environment ? { environment: d.environment } : {}),
    autoStart: d.autoStart,
  };
}

/** Create a container: inline validation, the docker run as you type, pull progress, and the start check. */
export default function CreateContainerPage() {
  const [draft, setDraft] = useState<Draft>(() => {
    try {
      return {
        ...EMPTY,
        ...(JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? '{}') as Partial<Draft>),
      };
    } catch {
      return EMPTY;
    }
  });
  const [cli, setCli] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [progress, setProgress] = useState<string[]>([]);
  const [result, setResult] = useState<ContainerCreated | null>(null);
  const [busy, setBusy] = useState(false);

  // Unsaved input survives a reload or a lost connection.
  useEffect(() => sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft)), [draft]);

  const parsed = useMemo(() => ContainerCreate.safeParse(toBody(draft)), [draft]);
  useEffect(() => {
    if (!parsed.success) return undefined;
    const timer = setTimeout(() => {
      const { autoStart: _a, validateSeconds: _v, ...spec } = parsed.data;
      void _a;
      void _v;
      post<{ cli: string }>(`/api/hosts/${HOST}/containers/cli`, spec).then(
        (r) => setCli(r.cli),
        () => setCli(null),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [parsed]);

  const set = (key: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [key]: e.target.value });

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    setBusy(true);
    setProgress([]);
    const stop = onProgress((p) => {
      if (p.operation === 'pull' && p.subject === draft.image)
        setProgress((old) => [...old.slice(-20), `${p.layer ? `${p.layer}: ` : ''}${p.status}`]);
    });
    try {
      const created = await post<ContainerCreated>(`/api/hosts/${HOST}/containers`, parsed.data);
      setResult(created);
      sessionStorage.removeItem(DRAFT_KEY);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    } finally {
      stop();
      setBusy(false);
    }
  };

  if (result) {
    const v = result.validation;
    return (
      <Page title={`Created ${result.container.name}`}>
        <p data-testid="validation">
          {v ? (
            <Badge tone={v.ok ? 'good' : 'bad'}>{v.ok ? 'started' : 'failed to start'}</Badge>
          ) : (
            <Badge>not started</Badge>
          )}{' '}
          {v?.message}
        </p>
        {v && !v.ok && v.logs.length > 0 && (
          <pre className="logs">
            <code>{v.logs.join('\n')}</code>
          </pre>
        )}
        {result.warnings.map((w) => (
          <p key={w} className="notice">
            {w}
          </p>
        ))}
        <CommandBlock command={result.cli} />
        <Link className="btn btn-primary" to={`/containers/${result.container.id}`}>
          Open {result.container.name}
        </Link>
      </Page>
    );
  }

  return (
    <Page title="Create container">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Name" value={draft.name} onChange={set('name')} error={errors.name} />
        <Field
          label="Image"
          value={draft.image}
          onChange={set('image')}
          error={errors.image}
          placeholder="nginx:1.27"
          required
        />
        <Field
          label="Command (run with sh -c)"
          value={draft.command}
          onChange={set('command')}
          error={errors.command}
        />
        <div className="field">
          <label htmlFor="env">Environment (NAME=value per line)</label>
          <textarea id="env" rows={3} value={draft.env} onChange={set('env')} />
          {errors.env && <small className="field-error">{errors.env}</small>}
        </div>
        <Field
          label="Ports (host:container[/udp], separated by spaces)"
          value={draft.ports}
          onChange={set('ports')}
          error={errors.ports}
          placeholder="8080:80"
        />
        <div className="field">
          <label htmlFor="restart">Restart policy</label>
          <select id="restart" value={draft.restart} onChange={set('restart')}>
            {['no', 'always', 'unless-stopped', 'on-failure'].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </div>
        <Field
          label="Memory limit (MiB)"
          inputMode="numeric"
          value={draft.memoryMiB}
          onChange={set('memoryMiB')}
          error={errors.resources}
        />
        <Field label="CPUs" inputMode="decimal" value={draft.cpus} onChange={set('cpus')} />
        <Field
          label="Environment tag"
          value={draft.environment}
          onChange={set('environment')}
          error={errors.environment}
          placeholder="dev, staging, prod"
        />
        <label className="toggle">
          <input
            type="checkbox"
            checked={draft.autoStart}
            onChange={(e) => setDraft({ ...draft, autoStart: e.target.checked })}
          />{' '}
          Start it and check that it stays up
        </label>
        <CommandBlock command={cli} label="docker run, as you type" />
        {progress.length > 0 && (
          <pre className="progress" aria-label="Pull progress">
            <code>{progress.join('\n')}</code>
          </pre>
        )}
        <ErrorNotice error={failure} />
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create'}
        </Button>
        <Button onClick={() => setDraft(EMPTY)}>Clear</Button>
      </form>
    </Page>
  );
}
