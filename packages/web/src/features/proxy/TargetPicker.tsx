import type { ProxyTargetKind } from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { client } from '../../api/client.js';
import { keys, useContainers, useHosts } from '../../api/queries.js';
import { FieldNote } from '../../components/ui.js';
import type { RouteDraft } from './route-draft.js';

const KINDS: { value: ProxyTargetKind; label: string }[] = [
  { value: 'container', label: 'Container' },
  { value: 'stack-service', label: 'Stack service (all its replicas)' },
  { value: 'swarm-service', label: 'Swarm service' },
];

/** The same answer (and key) as the stacks page reads: one request for both. */
const useHostStacks = (host: string, enabled: boolean) =>
  useQuery({
    queryKey: keys.stacks(host),
    queryFn: async () => (await client.stacks.list({ params: { host } })).stacks,
    enabled,
  });

/** The same answer (and key) as the services page reads, asked only of a swarm manager. */
const useSwarmServices = (host: string, enabled: boolean) =>
  useQuery({
    queryKey: [...keys.swarmServices(host), 'list'],
    queryFn: async () => (await client.services.list({ params: { host } })).services,
    enabled,
    retry: false,
  });

function Choice({
  label,
  value,
  options,
  onChange,
  error,
  hint,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
}) {
  const id = useId();
  // The stored value stays choosable even when it is not (or no longer) on the host.
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <option value="">Choose…</option>
        {all.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <FieldNote id={id} error={error} hint={hint} />
    </div>
  );
}

/**
 * Where a route sends: a host, then a container, a stack's service or a Swarm service from
 * that host's live lists, and the port as the container listens on it (its exposed and
 * published ports offered, any other typed).
 */
export function TargetPicker({
  d,
  errors,
  change,
}: {
  d: RouteDraft;
  errors: Record<string, string>;
  change: (patch: Partial<RouteDraft>) => void;
}) {
  const hosts = useHosts().data ?? [];
  const containers = useContainers(d.host).data ?? [];
  const stacks = useHostStacks(d.host, d.kind === 'stack-service').data ?? [];
  const inSwarm = (hosts.find((h) => h.id === d.host)?.swarm?.state ?? 'inactive') === 'active';
  const services = useSwarmServices(d.host, inSwarm && d.kind === 'swarm-service');
  const swarmServices = inSwarm ? (services.data ?? []) : [];
  const hostId = useId();
  const kindId = useId();
  const portId = useId();
  const portsId = useId();
  const stack = stacks.find((s) => s.name === d.stack);
  const members = containers.filter((c) =>
    d.kind === 'container'
      ? c.name === d.container
      : c.composeProject === d.stack && c.composeService === d.service,
  );
  const ports =
    d.kind === 'swarm-service'
      ? (swarmServices.find((s) => s.name === d.swarmService)?.ports ?? []).map((p) => p.target)
      : members.flatMap((c) =>
          c.ports.filter((p) => p.protocol === 'tcp').map((p) => p.privatePort),
        );
  const offered = [...new Set(ports)].sort((a, b) => a - b);
  return (
    <fieldset className="field proxy-target">
      <legend>Target</legend>
      <div className="row-fields">
        <div className="field">
          <label htmlFor={hostId}>Host</label>
          <select
            id={hostId}
            value={d.host}
            onChange={(e) =>
              change({
                host: e.target.value,
                container: '',
                stack: '',
                service: '',
                swarmService: '',
              })
            }
          >
            {hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
          <FieldNote id={hostId} error={errors.host} />
        </div>
        <div className="field">
          <label htmlFor={kindId}>Kind</label>
          <select
            id={kindId}
            value={d.kind}
            onChange={(e) => change({ kind: e.target.value as ProxyTargetKind })}
          >
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {d.kind === 'container' && (
        <Choice
          label="Container"
          value={d.container}
          options={containers.map((c) => c.name).sort()}
          onChange={(container) => change({ container })}
          error={errors.container}
        />
      )}
      {d.kind === 'stack-service' && (
        <div className="row-fields">
          <Choice
            label="Stack"
            value={d.stack}
            options={stacks.map((s) => s.name)}
            onChange={(value) => change({ stack: value, service: '' })}
            error={errors.stack ?? errors.container}
          />
          <Choice
            label="Service"
            value={d.service}
            options={stack?.services.map((s) => s.name) ?? []}
            onChange={(service) => change({ service })}
            error={errors.service}
          />
        </div>
      )}
      {d.kind === 'swarm-service' && (
        <Choice
          label="Swarm service"
          value={d.swarmService}
          options={swarmServices.map((s) => s.name)}
          onChange={(swarmService) => change({ swarmService })}
          error={errors.swarmService ?? errors.container}
          {...(inSwarm ? {} : { hint: 'This host is not a swarm manager' })}
        />
      )}
      <div className="field">
        <label htmlFor={portId}>Port</label>
        <input
          id={portId}
          inputMode="numeric"
          list={portsId}
          value={d.port}
          onChange={(e) => change({ port: e.target.value })}
          aria-invalid={errors.port ? true : undefined}
          aria-describedby={errors.port ? `${portId}-error` : undefined}
        />
        <datalist id={portsId}>
          {offered.map((p) => (
            <option key={p} value={String(p)} />
          ))}
        </datalist>
        <FieldNote
          id={portId}
          error={errors.port}
          hint={
            offered.length > 0
              ? `As the container listens on it: ${offered.join(', ')}, or another`
              : 'As the container listens on it'
          }
        />
      </div>
    </fieldset>
  );
}
