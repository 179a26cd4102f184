import type { HostNamespace, HostSecurity } from '@berth/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { useHosts } from '../../api/queries.js';
import { Button, Card, ErrorNotice, Field } from '../../components/ui.js';
import { TextArea } from '../containers/form/FormFields.js';

const NAMESPACES: { id: HostNamespace; label: string }[] = [
  { id: 'network', label: 'network (network mode host)' },
  { id: 'pid', label: 'PID' },
  { id: 'ipc', label: 'IPC' },
  { id: 'uts', label: 'UTS' },
  { id: 'userns', label: 'user' },
  { id: 'cgroupns', label: 'cgroup' },
];

interface Draft {
  bindMounts: string;
  engineSocket: boolean;
  capabilities: string;
  devices: string;
  hostNamespaces: HostNamespace[];
  securityOptions: boolean;
  sysctls: boolean;
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function toDraft(s: HostSecurity): Draft {
  return {
    ...s,
    bindMounts: s.bindMounts.join('\n'),
    capabilities: s.capabilities.join(', '),
    devices: s.devices.join('\n'),
  };
}

function toBody(d: Draft): HostSecurity {
  return {
    ...d,
    bindMounts: lines(d.bindMounts),
    capabilities: d.capabilities
      .split(/[\s,]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
    devices: lines(d.devices),
  };
}

/** The first message about `key` or anything in it ("bindMounts.0"). */
function within(errors: Record<string, string>, key: string): string | undefined {
  return Object.entries(errors).find(([k]) => k === key || k.startsWith(`${key}.`))?.[1];
}

/**
 * What non-admins may ask of a host when they create containers (admins are never
 * restricted): everything that reaches past the container into the host is off until allowed.
 */
export function HostSecurityCard() {
  const hosts = useHosts();
  const [host, setHost] = useState('local');
  const queryClient = useQueryClient();
  const view = useQuery({
    queryKey: ['hosts', host, 'security'],
    queryFn: () => client.hostSecurity.get({ params: { host } }),
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (view.data) setDraft(toDraft(view.data.settings));
  }, [view.data]);

  const change = (patch: Partial<Draft>): void => {
    setSaved(false);
    setDraft((d) => (d ? { ...d, ...patch } : d));
  };
  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!draft) return;
    try {
      await client.hostSecurity.update({ params: { host }, body: toBody(draft) });
      setErrors({});
      setError(null);
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['hosts', host, 'security'] });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(err);
    }
  };

  return (
    <Card
      title="Host security"
      actions={
        <select
          aria-label="Host"
          value={host}
          onChange={(e) => {
            setDraft(null);
            setHost(e.target.value);
          }}
        >
          {(hosts.data?.map((h) => h.id) ?? [host]).map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
      }
    >
      <p className="muted">
        What operators and viewers may ask of <strong>{host}</strong> when they create or edit a
        container. Admins are never restricted; privileged stays admin-only.
        {view.data?.updatedAt
          ? ` Last changed by ${view.data.updatedBy ?? 'unknown'} on ${new Date(view.data.updatedAt).toLocaleString()}.`
          : ' These are the defaults: everything below is refused.'}
      </p>
      {draft && (
        <form className="form" onSubmit={(e) => void save(e)} noValidate>
          <TextArea
            label="Bind mounts: allowed host paths"
            value={draft.bindMounts}
            onChange={(bindMounts) => change({ bindMounts })}
            error={within(errors, 'bindMounts')}
            placeholder="/srv/data"
            hint="One per line: binds under these paths only. Empty: no bind mounts; / for any."
          />
          <label className="toggle">
            <input
              type="checkbox"
              checked={draft.engineSocket}
              onChange={(e) => change({ engineSocket: e.target.checked })}
            />{' '}
            Allow binding the engine socket (root on the host, even under an allowed path)
          </label>
          <Field
            label="Capabilities beyond Docker's defaults"
            value={draft.capabilities}
            onChange={(e) => change({ capabilities: e.target.value })}
            error={within(errors, 'capabilities')}
            placeholder="NET_ADMIN, SYS_TIME (ALL for any)"
          />
          <TextArea
            label="Devices: allowed host paths"
            value={draft.devices}
            onChange={(devices) => change({ devices })}
            error={within(errors, 'devices')}
            placeholder="/dev/dri"
            hint="One per line: a device, or a folder of them"
          />
          <fieldset className="row-fields">
            <legend>The host&apos;s namespaces that may be shared</legend>
            {NAMESPACES.map((ns) => (
              <label key={ns.id} className="toggle">
                <input
                  type="checkbox"
                  checked={draft.hostNamespaces.includes(ns.id)}
                  onChange={(e) =>
                    change({
                      hostNamespaces: e.target.checked
                        ? [...draft.hostNamespaces, ns.id]
                        : draft.hostNamespaces.filter((n) => n !== ns.id),
                    })
                  }
                />{' '}
                {ns.label}
              </label>
            ))}
          </fieldset>
          <label className="toggle">
            <input
              type="checkbox"
              checked={draft.securityOptions}
              onChange={(e) => change({ securityOptions: e.target.checked })}
            />{' '}
            Allow security options other than no-new-privileges (seccomp, AppArmor or SELinux
            unconfined or another profile)
          </label>
          <label className="toggle">
            <input
              type="checkbox"
              checked={draft.sysctls}
              onChange={(e) => change({ sysctls: e.target.checked })}
            />{' '}
            Allow kernel parameters (sysctls)
          </label>
          <div className="toolbar">
            <Button type="submit" variant="primary">
              Save host security
            </Button>
            {saved && <span role="status">Saved</span>}
          </div>
          <ErrorNotice error={error} />
        </form>
      )}
    </Card>
  );
}
