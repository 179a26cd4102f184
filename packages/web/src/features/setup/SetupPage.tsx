import { SetupRequest, type HostInfo } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { Button, ErrorNotice, Field, formatBytes } from '../../components/ui.js';

/** First run: the setup token from the server log, the admin account, then the host check. */
export function SetupPage() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ setupToken: '', username: 'admin', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [host, setHost] = useState<HostInfo | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const parsed = SetupRequest.safeParse(form);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    setFailure(null);
    try {
      const me = await client.setup.create({ body: parsed.data });
      queryClient.setQueryData(keys.me, me);
      queryClient.setQueryData(keys.setup, { required: false });
      setHost(await client.hosts.info({ params: { host: 'local' } }).catch(() => null));
    } catch (err) {
      // A refusal that names a field shows under that field only, not a second time above.
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      setErrors(fields);
      setFailure(Object.keys(fields).some((field) => field in form) ? null : err);
    }
  };

  if (host) {
    return (
      <main className="auth-page">
        <h1>Berth is ready</h1>
        <p>The local engine answers:</p>
        <dl className="facts" data-testid="host-check">
          <dt>Engine</dt>
          <dd>Docker {host.engine.version}</dd>
          <dt>Hardware</dt>
          <dd>
            {host.hardware.cpus} CPUs, {formatBytes(host.hardware.memoryBytes)},{' '}
            {host.hardware.arch}
          </dd>
          <dt>Profile</dt>
          <dd>
            {host.hardware.profile}: {host.hardware.recommendedContainers} containers recommended,{' '}
            {host.hardware.maxContainers} at most
          </dd>
        </dl>
        {/* A fresh load: every cached answer from before setup (setup required, no user) goes. */}
        <a className="btn btn-primary" href="/">
          Go to the dashboard
        </a>
      </main>
    );
  }

  return (
    <main className="auth-page">
      <h1>Set up Berth</h1>
      <p>Create the first admin. The one-time setup token is printed in the server log.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Setup token"
          value={form.setupToken}
          autoComplete="off"
          error={errors.setupToken}
          onChange={(e) => setForm({ ...form, setupToken: e.target.value })}
        />
        <Field
          label="Admin username"
          value={form.username}
          autoComplete="username"
          error={errors.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
        />
        <Field
          label="Password"
          type="password"
          value={form.password}
          autoComplete="new-password"
          hint="At least 12 characters"
          error={errors.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <ErrorNotice error={failure} />
        <Button type="submit" variant="primary">
          Create admin
        </Button>
      </form>
    </main>
  );
}
