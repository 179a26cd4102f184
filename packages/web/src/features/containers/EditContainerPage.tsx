import type { ContainerCreated, ContainerDetail } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, client } from '../../api/client.js';
import { keys, useContainer, useMe } from '../../api/queries.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Button, ErrorNotice, Page } from '../../components/ui.js';
import { draftFromSpec, type Draft } from './form/container-draft.js';
import { ContainerForm } from './form/ContainerForm.js';
import { refusalFields } from './form/refusal-fields.js';
import { useContainerForm } from './form/useContainerForm.js';
import { RecreateSteps } from './RecreateSteps.js';
import type { SavedLanding } from './SavedNotice.js';
import { useGoneRedirect } from './useGoneRedirect.js';

function EditForm({
  container,
  initial,
  onSaved,
}: {
  container: ContainerDetail;
  initial: Draft;
  onSaved: (result: ContainerCreated) => void;
}) {
  const host = useCurrentHost();
  const form = useContainerForm(`berth.draft.edit.${container.id}`, initial, container.id);
  const me = useMe();
  const queries = useQueryClient();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    const body = form.submit();
    if (!body) return;
    const { autoStart: _a, ...spec } = body;
    void _a;
    setBusy(true);
    try {
      const saved = await client.containers.recreate({
        params: { host, id: container.id },
        body: { ...spec, replace: true },
      });
      form.forget();
      void queries.invalidateQueries({ queryKey: keys.containers(host) });
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError) form.setServerErrors(refusalFields(err, form.draft.ports));
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={`Edit ${container.name}`}>
      <p className="notice">
        Saving recreates the container with these options. If the new one does not start and stay
        up, it is removed and the current one comes back as it was.
      </p>
      {form.restored && (
        <p className="notice" role="status">
          Your unsaved changes are back.{' '}
          <Button className="btn-small" onClick={() => form.reset(initial)}>
            Discard them
          </Button>
        </p>
      )}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <ContainerForm form={form} canPrivileged={me.data?.effectiveRole === 'admin'} />
        <CommandBlock command={form.cli} label="docker run, as you type" />
        <ErrorNotice error={failure} />
        <div className="toolbar">
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? 'Recreating…' : 'Save and recreate'}
          </Button>
          <Link className="btn btn-default" to={hostPath(host, `containers/${container.id}`)}>
            Cancel
          </Link>
        </div>
        {busy && <RecreateSteps name={container.name} />}
      </form>
    </Page>
  );
}

/** Edit a container: the create form, filled from its spec; saving recreates it safely. */
export default function EditContainerPage() {
  const host = useCurrentHost();
  const { id = '' } = useParams();
  const detail = useContainer(host, id);
  const navigate = useNavigate();
  // Saved: on the way to the new container's page. The old id's detail may still answer 404
  // while that page loads (this one stays on screen meanwhile); it must not pull us back here.
  const [leaving, setLeaving] = useState(false);
  useGoneRedirect(leaving ? null : detail.error, '/edit');
  const initial = useMemo(
    () => (detail.data ? draftFromSpec(detail.data.spec) : null),
    [detail.data],
  );
  const saved = (created: ContainerCreated): void => {
    setLeaving(true);
    // The new container's own page: the old id is no more.
    const landing: SavedLanding = {
      cli: created.cli,
      started: created.validation?.ok ?? null,
      message: created.validation?.message ?? '',
      warnings: created.warnings,
    };
    void navigate(hostPath(host, `containers/${created.container.id}`), {
      replace: true,
      state: landing,
    });
  };
  if (detail.isError)
    return (
      <Page title="Edit container">
        <ErrorNotice error={detail.error} />
      </Page>
    );
  if (!detail.data || !initial) return <p className="loading">Loading…</p>;
  return (
    <EditForm key={detail.data.id} container={detail.data} initial={initial} onSaved={saved} />
  );
}
