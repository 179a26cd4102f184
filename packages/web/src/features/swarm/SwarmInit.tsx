import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Button, Card, ErrorNotice, Field } from '../../components/ui.js';
import type { SwarmOutcome } from './SwarmLeave.js';

/** Make this host the first manager of a new swarm (admins, when it is in no swarm). */
export function SwarmInit({ onDone }: { onDone: (outcome: SwarmOutcome) => void }) {
  const host = useCurrentHost();
  const [form, setForm] = useState({ advertiseAddr: '', listenAddr: '', pools: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const pools = form.pools
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const init = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setErrors({});
    setFailure(null);
    try {
      const done = await client.swarm.init({
        params: { host },
        body: {
          advertiseAddr: form.advertiseAddr,
          ...(form.listenAddr ? { listenAddr: form.listenAddr } : {}),
          ...(pools.length > 0 ? { defaultAddrPool: pools } : {}),
        },
      });
      onDone({ message: `${host} is now the manager of a new swarm`, cli: done.cli });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };
  return (
    <Card title="Not in a swarm: create one">
      <p data-testid="swarm-inactive">
        The engine of <strong>{host}</strong> is not part of a swarm. Create one: this host becomes
        its first manager, and other engines join it with a token shown here afterwards. To join an
        existing swarm instead, run the <code>docker swarm join</code> command one of its managers
        shows.
      </p>
      <form className="form" onSubmit={(e) => void init(e)} noValidate data-testid="swarm-init">
        <Field
          label="Advertise address"
          value={form.advertiseAddr}
          required
          placeholder="10.0.0.5:2377"
          hint="The address other nodes reach this manager at (an IP or an interface, optional port)"
          onChange={(e) => setForm({ ...form, advertiseAddr: e.target.value })}
          error={errors.advertiseAddr}
        />
        <Field
          label="Listen address"
          value={form.listenAddr}
          placeholder="0.0.0.0:2377"
          onChange={(e) => setForm({ ...form, listenAddr: e.target.value })}
          error={errors.listenAddr}
        />
        <Field
          label="Default address pools"
          value={form.pools}
          placeholder="10.20.0.0/16"
          hint="Optional: ranges overlay networks take subnets from, comma separated"
          onChange={(e) => setForm({ ...form, pools: e.target.value })}
          error={errors.defaultAddrPool ?? errors['defaultAddrPool.0']}
        />
        <ErrorNotice error={failure} />
        <div className="dialog-actions">
          <Button type="submit" variant="primary">
            Create swarm
          </Button>
        </div>
      </form>
    </Card>
  );
}
