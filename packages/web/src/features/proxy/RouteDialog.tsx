import type { ProxyRoute } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, client } from '../../api/client.js';
import { proxyKeys } from '../../api/proxy.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { FormDialog, useSave } from '../../components/FormDialog.js';
import { Field } from '../../components/ui.js';
import { TLS_CHOICES } from './proxy-view.js';
import { AuthFields, HeaderRows } from './RouteAccess.js';
import {
  dialogErrors,
  draftOf,
  newRoute,
  routeBody,
  routeUpdate,
  type RouteDraft,
} from './route-draft.js';
import { TargetPicker } from './TargetPicker.js';

/** The server's 400 names contract paths (`target.port`): each goes under its dialog field. */
function serverErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  return dialogErrors(
    Object.entries(err.fieldErrors()).map(([path, message]) => ({ path, message })),
  );
}

/**
 * A route, new or to edit: hostnames and path, the target, TLS, who may pass, headers,
 * compression and wake-on-demand. Checked with the contract's schema before it is sent.
 */
export function RouteDialog({
  route,
  host,
  onClose,
}: {
  route: ProxyRoute | null;
  /** A new route's host: the one the user is on. */
  host: string;
  onClose: () => void;
}) {
  const queries = useQueryClient();
  const [d, setD] = useState<RouteDraft>(route ? draftOf(route) : newRoute(host));
  const { errors, setErrors, failure, save } = useSave(onClose);
  const [serverFailure, setServerFailure] = useState<Record<string, string>>({});
  const shown = { ...serverFailure, ...errors };
  const change = (patch: Partial<RouteDraft>): void => {
    setD((old) => ({ ...old, ...patch }));
    // A corrected field no longer carries the last check's complaint.
    const clear = (old: Record<string, string>) =>
      Object.fromEntries(Object.entries(old).filter(([k]) => !(k in patch)));
    setErrors(clear);
    setServerFailure(clear);
  };
  /** Sends the checked body; the server's field errors are put under their fields. */
  const send = (step: () => Promise<unknown>): void => {
    setServerFailure({});
    void save(async () => {
      try {
        await step();
      } catch (err) {
        setServerFailure(serverErrors(err));
        throw err;
      }
      await queries.invalidateQueries({ queryKey: proxyKeys.all });
    });
  };
  const submit = (): void => {
    if (route) {
      const made = routeUpdate(d, route);
      if (!made.ok) return setErrors(made.errors);
      send(() => client.proxy.update({ params: { id: route.id }, body: made.body }));
    } else {
      const made = routeBody(d);
      if (!made.ok) return setErrors(made.errors);
      send(() => client.proxy.create({ body: made.body }));
    }
  };
  return (
    <FormDialog
      title={route ? `Edit ${route.hostnames[0] ?? 'route'}` : 'New route'}
      side
      submitLabel={route ? 'Save' : 'Add route'}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label="Hostnames"
        value={d.hostnames}
        onChange={(e) => change({ hostnames: e.target.value })}
        error={shown.hostnames}
        hint="One or more, separated by commas: app.example.com, *.home.arpa"
        autoComplete="off"
      />
      <Field
        label="Path prefix (optional)"
        value={d.pathPrefix}
        onChange={(e) => change({ pathPrefix: e.target.value })}
        error={shown.pathPrefix}
        hint="Only requests under this path, e.g. /api"
      />
      <TargetPicker d={d} errors={shown} change={change} />
      <fieldset className="field">
        <legend>TLS</legend>
        {TLS_CHOICES.map((c) => (
          <label key={c.value} className="toggle radio-line">
            <input
              type="radio"
              name="route-tls"
              value={c.value}
              checked={d.tls === c.value}
              onChange={() => change({ tls: c.value })}
            />{' '}
            {c.label} <span className="muted">— {c.line}</span>
          </label>
        ))}
      </fieldset>
      <AuthFields d={d} errors={shown} change={change} editing={route !== null} />
      <fieldset className="field">
        <legend>Wake on demand</legend>
        <label className="toggle">
          <input
            type="checkbox"
            checked={d.wake}
            onChange={(e) => change({ wake: e.target.checked })}
          />{' '}
          Stop the target when idle; the next request starts it
        </label>
        {d.wake && (
          <div className="row-fields">
            <Field
              label="Idle minutes"
              inputMode="decimal"
              value={d.idleMinutes}
              onChange={(e) => change({ idleMinutes: e.target.value })}
              error={shown.idleMinutes}
              hint="No request and no open connection for this long"
            />
            <Field
              label="Start timeout (seconds)"
              inputMode="numeric"
              value={d.startTimeoutSeconds}
              onChange={(e) => change({ startTimeoutSeconds: e.target.value })}
              error={shown.startTimeoutSeconds}
              hint="How long a request waits while it starts"
            />
          </div>
        )}
      </fieldset>
      <div className="proxy-toggles">
        <label className="toggle">
          <input
            type="checkbox"
            checked={d.compress}
            onChange={(e) => change({ compress: e.target.checked })}
          />{' '}
          Compress answers (gzip, zstd)
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={d.enabled}
            onChange={(e) => change({ enabled: e.target.checked })}
          />{' '}
          Enabled
        </label>
      </div>
      <details
        className="proxy-advanced"
        open={Boolean(shown.via ?? shown.address ?? shown.requestHeaders ?? shown.responseHeaders)}
      >
        <summary>Advanced</summary>
        <div className="field">
          <label htmlFor="route-via">How Caddy reaches it</label>
          <select
            id="route-via"
            value={d.via}
            onChange={(e) => change({ via: e.target.value as RouteDraft['via'] })}
          >
            <option value="auto">Automatic: the published port, else the container network</option>
            <option value="published">The port the container publishes on its host</option>
            <option value="network">The container&apos;s address on its network</option>
          </select>
        </div>
        <Field
          label="Host address (optional)"
          value={d.address}
          onChange={(e) => change({ address: e.target.value })}
          error={shown.address}
          hint="The address Caddy dials for published ports; empty: the host's own"
        />
        <HeaderRows
          legend="Request headers"
          rows={d.requestHeaders}
          error={shown.requestHeaders}
          onChange={(requestHeaders) => change({ requestHeaders })}
        />
        <HeaderRows
          legend="Response headers"
          rows={d.responseHeaders}
          error={shown.responseHeaders}
          onChange={(responseHeaders) => change({ responseHeaders })}
        />
      </details>
      {route && <CommandBlock command={route.cli} label="Caddyfile equivalent" />}
    </FormDialog>
  );
}
