import {
  HostConnectFailure,
  HostCreate,
  HostKind,
  type AgentJoin,
  type Host,
  type HostTestResult,
} from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Dialog, DialogClose } from '../../components/Dialog.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';
import {
  createBody,
  dockerContextCommand,
  draftOf,
  FAILURE_TEXT,
  NEW_HOST,
  testSummary,
  updateBody,
  URL_PLACEHOLDER,
  type HostDraft,
} from './host-form.js';
import { PemField } from './PemField.js';

const KIND_TEXT: Record<HostKind, string> = {
  socket: 'Socket on this machine',
  tcp: 'TCP + TLS',
  ssh: 'SSH',
  agent: 'Agent (the host dials Berth)',
};

/** The reason of a 422 host_connection_failed, in plain words, with the server's detail. */
function connectFailure(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.code !== 'host_connection_failed') return null;
  const reason = HostConnectFailure.safeParse(
    (err.details as { reason?: unknown } | undefined)?.reason,
  );
  return reason.success ? `${FAILURE_TEXT[reason.data]} (${err.message})` : err.message;
}

/**
 * Adds a host, or changes one (`host`): how it is reached and its labels. The connection is
 * tested first and shows what was reached (an ssh host's key fingerprint must be confirmed);
 * adding is possible once the test succeeded. An agent host is a name and labels: its agent
 * dials in, so there is nothing to test; adding it gives its join command (`onJoin`).
 */
export function HostDialog({
  host,
  open,
  onOpenChange,
  onDone,
  onJoin,
}: {
  host?: Host;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (message: string) => void;
  onJoin?: (host: string, join: AgentJoin) => void;
}) {
  return (
    <Dialog
      title={host ? `Edit host ${host.id}` : 'Add host'}
      open={open}
      onOpenChange={onOpenChange}
      wide
    >
      <HostForm {...(host ? { host } : {})} onDone={onDone} {...(onJoin ? { onJoin } : {})} />
    </Dialog>
  );
}

function HostForm({
  host,
  onDone,
  onJoin,
}: {
  host?: Host;
  onDone: (message: string) => void;
  onJoin?: (host: string, join: AgentJoin) => void;
}) {
  const queryClient = useQueryClient();
  const id = useId();
  const [draft, setDraft] = useState<HostDraft>(host ? draftOf(host) : NEW_HOST);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [test, setTest] = useState<HostTestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [duplicate, setDuplicate] = useState<string | null>(null);
  const [allowDuplicate, setAllowDuplicate] = useState(false);

  const change = (patch: Partial<HostDraft>): void => {
    setDraft((d) => ({ ...d, ...patch }));
    // What was tested is no longer what would be saved.
    setTest(null);
    setConfirmed(false);
    setDuplicate(null);
    setAllowDuplicate(false);
  };
  const tested = test?.ok ? test : null;
  const hostKey = tested?.hostKey ?? (test && !test.ok ? test.hostKey : undefined) ?? null;
  const needsConfirm = draft.kind === 'ssh' && hostKey !== null && !confirmed;
  const duplicateOf = tested?.duplicateOf ?? duplicate;
  const blocked = needsConfirm || (duplicateOf !== null && !allowDuplicate);
  const agent = draft.kind === 'agent';
  const canSave = host || agent ? !blocked : tested !== null && !blocked;
  // A host does not become an agent host, nor an agent host another kind.
  const kinds = host ? HostKind.options.filter((k) => (k === 'agent') === agent) : HostKind.options;
  const options = {
    hostKey: confirmed ? (hostKey?.fingerprint ?? undefined) : undefined,
    allowDuplicate,
  };

  const runTest = async (): Promise<void> => {
    setFailure(null);
    setTest(null);
    const body = createBody(draft);
    const checked = HostCreate.safeParse(body);
    if (!checked.success) {
      setErrors(Object.fromEntries(checked.error.issues.map((i) => [i.path.join('.'), i.message])));
      return;
    }
    setErrors({});
    setTesting(true);
    try {
      setTest(await client.hosts.test({ body }));
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    } finally {
      setTesting(false);
    }
  };

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    try {
      if (host) {
        const body = updateBody(draft, options);
        const saved = await client.hosts.update({ params: { host: host.id }, body });
        await queryClient.invalidateQueries({ queryKey: keys.hosts, exact: true });
        onDone(`Saved host ${saved.id}`);
        return;
      }
      const created = await client.hosts.create({ body: createBody(draft, options) });
      await queryClient.invalidateQueries({ queryKey: keys.hosts, exact: true });
      if (created.join && onJoin) onJoin(created.id, created.join);
      else onDone(`Added host ${created.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'host_duplicate') setDuplicate(err.message);
      else if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };

  const failureText = connectFailure(failure);
  return (
    <form onSubmit={(e) => void save(e)} className="host-form">
      {!host && (
        <Field
          label="Name"
          value={draft.name}
          required
          autoFocus
          placeholder="nas"
          hint="Its id in every URL: lowercase letters, digits and dashes"
          onChange={(e) => change({ name: e.target.value })}
          error={errors.name}
        />
      )}
      <fieldset className="kind-choice">
        <legend>Kind</legend>
        {kinds.map((kind) => (
          <label key={kind} className="toggle">
            <input
              type="radio"
              name={`${id}-kind`}
              value={kind}
              checked={draft.kind === kind}
              onChange={() => change({ kind })}
            />{' '}
            {KIND_TEXT[kind]}
          </label>
        ))}
      </fieldset>
      {agent ? (
        <p className="hint kind-hint">
          For an engine Berth cannot reach: behind NAT or a firewall, with no port open to it. You
          run <code>berth agent</code> beside the engine and it dials out to Berth over HTTPS; the
          agent&apos;s own flags decide what it lets through.
        </p>
      ) : (
        <Field
          label="URL"
          value={draft.url}
          required
          placeholder={URL_PLACEHOLDER[draft.kind]}
          onChange={(e) => change({ url: e.target.value })}
          error={errors.url}
        />
      )}
      {draft.kind === 'tcp' && (
        <TlsFields draft={draft} change={change} errors={errors} editing={!!host} />
      )}
      {draft.kind === 'ssh' && (
        <SshFields draft={draft} change={change} errors={errors} editing={!!host} />
      )}
      <Field
        label="Labels"
        value={draft.labels}
        placeholder="home, vps"
        hint="To group hosts and to grant users every host of a label"
        onChange={(e) => change({ labels: e.target.value })}
        error={errors.labels ?? Object.entries(errors).find(([k]) => k.startsWith('labels.'))?.[1]}
      />
      <CommandBlock command={dockerContextCommand(draft)} label="docker CLI equivalent" />
      <TestOutcome test={test} />
      {hostKey && draft.kind === 'ssh' && (
        <div className="notice" data-testid="host-key">
          <p>
            The remote showed this host key ({hostKey.algorithm}):{' '}
            <code className="fingerprint">{hostKey.fingerprint}</code>. Compare it with{' '}
            <code>
              ssh-keygen -lf /etc/ssh/ssh_host_{hostKey.algorithm.replace(/^ssh-/, '')}_key.pub
            </code>{' '}
            on the remote: Berth pins it, and refuses any other key later.
          </p>
          <label className="toggle">
            <input
              type="checkbox"
              checked={confirmed}
              onChange={(e) => setConfirmed(e.target.checked)}
            />{' '}
            I checked this fingerprint
          </label>
        </div>
      )}
      {duplicateOf !== null && (
        <div className="notice" role="status">
          <p>This engine is already added as {tested?.duplicateOf ?? 'another host'}.</p>
          <label className="toggle">
            <input
              type="checkbox"
              checked={allowDuplicate}
              onChange={(e) => setAllowDuplicate(e.target.checked)}
            />{' '}
            Add anyway
          </label>
        </div>
      )}
      {failureText ? (
        <p className="notice notice-bad" role="alert">
          {failureText}
        </p>
      ) : (
        <ErrorNotice error={failure} />
      )}
      <div className="dialog-actions">
        <DialogClose asChild>
          <Button>Cancel</Button>
        </DialogClose>
        {!agent && (
          <Button onClick={() => void runTest()} disabled={testing}>
            {testing ? 'Testing…' : 'Test connection'}
          </Button>
        )}
        <Button type="submit" variant="primary" disabled={!canSave}>
          {host ? 'Save' : 'Add host'}
        </Button>
      </div>
    </form>
  );
}

type Part = {
  draft: HostDraft;
  change: (patch: Partial<HostDraft>) => void;
  errors: Record<string, string>;
  editing: boolean;
};

function TlsFields({ draft, change, errors, editing }: Part) {
  const keep = editing ? 'Leave all three empty to keep the stored ones' : undefined;
  return (
    <>
      <label className="toggle">
        <input
          type="checkbox"
          checked={draft.insecure}
          onChange={(e) => change({ insecure: e.target.checked })}
        />{' '}
        Plain TCP without TLS (insecure: anyone on the path can drive the engine)
      </label>
      {!draft.insecure && (
        <div className="pem-grid">
          <PemField
            label="CA certificate"
            value={draft.ca}
            onChange={(ca) => change({ ca })}
            error={errors['tls.ca']}
            {...(keep ? { hint: keep } : {})}
          />
          <PemField
            label="Client certificate"
            value={draft.cert}
            onChange={(cert) => change({ cert })}
            error={errors['tls.cert']}
          />
          <PemField
            label="Client key"
            value={draft.key}
            onChange={(key) => change({ key })}
            error={errors['tls.key']}
          />
        </div>
      )}
    </>
  );
}

function SshFields({ draft, change, errors, editing }: Part) {
  return (
    <>
      <label className="toggle">
        <input
          type="checkbox"
          checked={!draft.useKey}
          onChange={(e) => change({ useKey: !e.target.checked })}
        />{' '}
        Use Berth&apos;s SSH agent (SSH_AUTH_SOCK on the Berth machine)
      </label>
      {draft.useKey && (
        <>
          <PemField
            label="SSH private key"
            value={draft.privateKey}
            onChange={(privateKey) => change({ privateKey })}
            error={errors['ssh.privateKey']}
            placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
            {...(editing ? { hint: 'Leave empty to keep the stored key' } : {})}
          />
          <Field
            label="Key passphrase"
            type="password"
            autoComplete="off"
            value={draft.passphrase}
            onChange={(e) => change({ passphrase: e.target.value })}
            error={errors['ssh.passphrase']}
          />
        </>
      )}
    </>
  );
}

function TestOutcome({ test }: { test: HostTestResult | null }) {
  if (!test) return null;
  if (test.ok)
    return (
      <p className="notice notice-good" role="status" data-testid="host-test">
        Reached: {testSummary(test)}
      </p>
    );
  return (
    <p className="notice notice-bad" role="alert" data-testid="host-test">
      {FAILURE_TEXT[test.reason]} <span className="muted">({test.message})</span>
    </p>
  );
}
