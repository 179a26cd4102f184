import type { ReactNode } from 'react';
import { Field } from '../../../components/ui.js';
import type { Draft } from './container-draft.js';
import { Select, TextArea } from './FormFields.js';
import { DeviceRows, MountRows, NetworkRows, PortRows } from './RowSections.js';
import type { ContainerFormState } from './useContainerForm.js';

const RESTART = ['no', 'always', 'unless-stopped', 'on-failure'] as const;

/** A collapsible part of the form; open when it holds something or has an error. */
function Section({ title, open, children }: { title: string; open: boolean; children: ReactNode }) {
  return (
    <details className="form-section" open={open || undefined}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}

/**
 * Every create option, grouped the way `docker run --help` would if it were kind. The same
 * form edits a container (its spec filled in), so nothing here knows which it is doing.
 */
export function ContainerForm({
  form,
  canPrivileged,
}: {
  form: ContainerFormState;
  canPrivileged: boolean;
}) {
  const { draft: d, update, errors } = form;
  const e = (key: string): string | undefined => errors[key];
  const has = (prefix: string): boolean => Object.keys(errors).some((k) => k.startsWith(prefix));
  /** The first message about `prefix` or anything in it ("sysctls.net.ipv4.ip_forward"). */
  const within = (prefix: string): string | undefined =>
    Object.entries(errors).find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1];
  const hostToggle = (
    key: 'utsHost' | 'usernsHost' | 'cgroupnsHost',
    label: string,
    field: string,
  ) => (
    <div>
      <label className="toggle">
        <input
          type="checkbox"
          checked={d[key]}
          onChange={(ev) => update({ [key]: ev.target.checked })}
        />{' '}
        {label}
        {e(field) && (
          <small className="field-error" role="alert">
            {' '}
            {e(field)}
          </small>
        )}
      </label>
    </div>
  );
  const text = (key: keyof Draft) => (event: { target: { value: string } }) =>
    update({ [key]: event.target.value });

  return (
    <>
      <Field label="Name" value={d.name} onChange={text('name')} error={e('name')} />
      <Field
        label="Image"
        value={d.image}
        onChange={text('image')}
        error={e('image')}
        placeholder="nginx:1.27"
        required
        hint="Pulled first when the host does not have it"
      />
      <Field
        label="Command"
        value={d.command}
        onChange={text('command')}
        error={e('command')}
        placeholder={`sh -c 'echo hello; sleep 600'`}
        hint="Words as a shell splits them; empty keeps the image's own"
      />
      <TextArea
        label="Environment variables"
        value={d.env}
        onChange={(env) => update({ env })}
        error={e('env')}
        hint="One NAME=value per line"
      />
      <Section title="Ports" open={d.ports.length > 0 || has('ports')}>
        <PortRows rows={d.ports} onChange={(ports) => update({ ports })} e={e} />
      </Section>
      <Section title="Volumes and mounts" open={d.mounts.length > 0 || has('mounts')}>
        <MountRows rows={d.mounts} onChange={(mounts) => update({ mounts })} e={e} />
      </Section>
      <Section title="Networks" open={d.networks.length > 0 || has('networks')}>
        <NetworkRows rows={d.networks} onChange={(networks) => update({ networks })} e={e} />
      </Section>
      <Section
        title="Restart and resources"
        open={d.restart !== 'no' || !!(d.memory || d.cpus || d.pidsLimit) || has('resources')}
      >
        <div className="row-fields">
          <Select
            label="Restart policy"
            value={d.restart}
            options={RESTART}
            onChange={(restart) => update({ restart })}
          />
          {d.restart === 'on-failure' && (
            <Field
              label="Max retries"
              inputMode="numeric"
              value={d.maxRetries}
              onChange={text('maxRetries')}
              error={e('restartPolicy.maximumRetryCount')}
            />
          )}
          <Field
            label="Memory limit"
            value={d.memory}
            onChange={text('memory')}
            placeholder="512m"
            error={e('resources.memoryBytes')}
          />
          <Field
            label="CPUs"
            inputMode="decimal"
            value={d.cpus}
            onChange={text('cpus')}
            error={e('resources.cpus')}
          />
          <Field
            label="Process limit"
            inputMode="numeric"
            value={d.pidsLimit}
            onChange={text('pidsLimit')}
            error={e('resources.pidsLimit')}
          />
          <Field
            label="Stop timeout (s)"
            inputMode="numeric"
            value={d.stopTimeoutS}
            onChange={text('stopTimeoutS')}
            error={e('stopTimeoutS')}
          />
        </div>
      </Section>
      <Section title="Health check" open={!!d.healthCommand || has('healthcheck')}>
        <div className="row-fields">
          <Select
            label="Run the check"
            value={d.healthForm}
            options={[
              { value: 'CMD-SHELL', label: 'in a shell' },
              { value: 'CMD', label: 'directly (exec)' },
            ]}
            onChange={(healthForm) => update({ healthForm })}
          />
          <Field
            label="Check command"
            value={d.healthCommand}
            onChange={text('healthCommand')}
            error={e('healthcheck.test')}
            placeholder="wget -qO- http://localhost/ || exit 1"
          />
          {(
            [
              ['Interval (s)', 'healthIntervalS', 'intervalS'],
              ['Timeout (s)', 'healthTimeoutS', 'timeoutS'],
              ['Retries', 'healthRetries', 'retries'],
              ['Start period (s)', 'healthStartPeriodS', 'startPeriodS'],
            ] as const
          ).map(([label, key, field]) => (
            <Field
              key={key}
              label={label}
              inputMode="decimal"
              value={d[key]}
              onChange={text(key)}
              error={e(`healthcheck.${field}`)}
            />
          ))}
        </div>
      </Section>
      <Section title="Labels" open={!!d.labels || has('labels')}>
        <TextArea
          label="Labels"
          value={d.labels}
          onChange={(labels) => update({ labels })}
          error={e('labels')}
          hint="One name=value per line"
        />
      </Section>
      <Section
        title="User and security"
        open={
          !!(
            d.user ||
            d.capAdd ||
            d.capDrop ||
            d.privileged ||
            d.pidMode ||
            d.ipcMode ||
            d.securityOpt ||
            d.sysctls ||
            d.utsHost ||
            d.usernsHost ||
            d.cgroupnsHost
          ) ||
          d.devices.length > 0 ||
          has('securityOpt') ||
          has('sysctls')
        }
      >
        <Field
          label="User"
          value={d.user}
          onChange={text('user')}
          error={e('user')}
          placeholder="1000:1000"
        />
        <Field
          label="Add capabilities"
          value={d.capAdd}
          onChange={text('capAdd')}
          error={within('capAdd')}
          placeholder="NET_ADMIN, SYS_TIME"
        />
        <Field
          label="Drop capabilities"
          value={d.capDrop}
          onChange={text('capDrop')}
          error={e('capDrop') ?? e('capDrop.0')}
          placeholder="ALL"
        />
        <DeviceRows rows={d.devices} onChange={(devices) => update({ devices })} e={e} />
        <Field
          label="PID namespace"
          value={d.pidMode}
          onChange={text('pidMode')}
          error={e('pidMode')}
          placeholder="host or container:<name>"
          hint="Empty: its own"
        />
        <Field
          label="IPC namespace"
          value={d.ipcMode}
          onChange={text('ipcMode')}
          error={e('ipcMode')}
          placeholder="private, shareable, none, host or container:<name>"
        />
        {hostToggle('utsHost', "Share the host's UTS namespace (its hostname)", 'utsMode')}
        {hostToggle('usernsHost', "Share the host's user namespace", 'usernsMode')}
        {hostToggle('cgroupnsHost', "Share the host's cgroup namespace", 'cgroupnsMode')}
        <TextArea
          label="Security options"
          value={d.securityOpt}
          onChange={(securityOpt) => update({ securityOpt })}
          error={within('securityOpt')}
          hint="One per line, e.g. no-new-privileges"
        />
        <TextArea
          label="Kernel parameters (sysctls)"
          value={d.sysctls}
          onChange={(sysctls) => update({ sysctls })}
          error={within('sysctls')}
          hint="One name=value per line, e.g. net.ipv4.ip_forward=1"
        />
        {canPrivileged && (
          <label className="toggle">
            <input
              type="checkbox"
              checked={d.privileged}
              onChange={(ev) => update({ privileged: ev.target.checked })}
            />{' '}
            Privileged (full access to the host: only for containers you trust)
          </label>
        )}
      </Section>
      <Section
        title="Advanced"
        open={!!(d.entrypoint || d.workingDir || d.hostname || d.logDriver || d.environment)}
      >
        <Field
          label="Entrypoint"
          value={d.entrypoint}
          onChange={text('entrypoint')}
          error={e('entrypoint')}
          hint="Replaces the image's entrypoint"
        />
        <Field
          label="Working directory"
          value={d.workingDir}
          onChange={text('workingDir')}
          error={e('workingDir')}
        />
        <Field
          label="Hostname"
          value={d.hostname}
          onChange={text('hostname')}
          error={e('hostname')}
        />
        <Field
          label="Log driver"
          value={d.logDriver}
          onChange={text('logDriver')}
          error={e('logConfig.driver')}
          placeholder="json-file (the engine's default)"
        />
        {d.logDriver && (
          <TextArea
            label="Log options"
            value={d.logOptions}
            onChange={(logOptions) => update({ logOptions })}
            error={e('logConfig.options')}
            hint="One name=value per line, e.g. max-size=10m"
          />
        )}
        <Field
          label="Environment tag"
          value={d.environment}
          onChange={text('environment')}
          error={e('environment')}
          placeholder="dev, staging, prod"
        />
      </Section>
    </>
  );
}
