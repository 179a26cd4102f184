import { ContainerCreate, overHostMessage, type ContainerPreview } from '@berth/contract';
import { useEffect, useMemo, useState } from 'react';
import { client } from '../../../api/client.js';
import { useHostInfo } from '../../../api/queries.js';
import { useCurrentHost } from '../../../app/host-paths.js';
import { draftToBody, issueKey, portConflictErrors, type Draft } from './container-draft.js';

function readDraft(key: string): Draft | null {
  try {
    const saved = sessionStorage.getItem(key);
    return saved ? (JSON.parse(saved) as Draft) : null;
  } catch {
    return null;
  }
}

/**
 * The container form's state: the draft (kept in sessionStorage under `storageKey`, so a
 * reload, a resize or a lost connection loses nothing), the schema's verdict as you type, and
 * the server's preview (the docker run, port conflicts, a taken name).
 */
export function useContainerForm(storageKey: string, initial: Draft, except?: string) {
  const host = useCurrentHost();
  const [saved] = useState(() => readDraft(storageKey));
  const [draft, setDraft] = useState<Draft>(() => ({ ...initial, ...(saved ?? {}) }));
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<ContainerPreview | null>(null);

  const pristine = useMemo(() => JSON.stringify(initial), [initial]);
  useEffect(() => {
    const text = JSON.stringify(draft);
    if (text === pristine) sessionStorage.removeItem(storageKey);
    else sessionStorage.setItem(storageKey, text);
  }, [storageKey, draft, pristine]);

  const parsed = useMemo(() => ContainerCreate.safeParse(draftToBody(draft)), [draft]);
  // More memory than the host has is a typo (1g for 1m?): refused here and by the server.
  const hostMemory = useHostInfo(host).data?.hardware.memoryBytes ?? 0;
  const memory = parsed.data?.resources?.memoryBytes ?? 0;
  const overHost = hostMemory > 0 && memory > hostMemory ? overHostMessage(hostMemory) : null;

  useEffect(() => {
    if (!parsed.success) return undefined;
    const timer = setTimeout(() => {
      const { autoStart: _a, validateSeconds: _v, ...spec } = parsed.data;
      void _a;
      void _v;
      client.containers
        .preview({ params: { host }, query: except ? { except } : {}, body: spec })
        .then(setPreview, () => setPreview(null));
    }, 250);
    return () => clearTimeout(timer);
  }, [parsed, except, host]);

  const errors = useMemo(() => {
    const out: Record<string, string> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // A required field left empty is only an error once the user tries to submit.
        if (!submitted && issue.path[0] === 'image' && !draft.image) continue;
        out[issueKey(issue.path)] ??= issue.message;
      }
    }
    if (overHost) out['resources.memoryBytes'] = overHost;
    if (preview?.nameTaken) out.name ??= 'a container with this name exists on this host';
    return {
      ...portConflictErrors(draft.ports, preview?.portConflicts ?? []),
      ...out,
      ...serverErrors,
    };
  }, [parsed, overHost, submitted, draft, preview, serverErrors]);

  return {
    draft,
    /** True when the form came back from an earlier, unsaved visit. */
    restored: saved !== null,
    update: (patch: Partial<Draft>) => {
      setServerErrors({});
      setDraft((d) => ({ ...d, ...patch }));
    },
    reset: (to: Draft) => {
      sessionStorage.removeItem(storageKey);
      setServerErrors({});
      setSubmitted(false);
      setDraft(to);
    },
    /** Forget the saved draft (after a successful save). */
    forget: () => sessionStorage.removeItem(storageKey),
    parsed,
    errors,
    setServerErrors,
    cli: parsed.success ? (preview?.cli ?? null) : null,
    /** Marks the form submitted; the body when it is valid, null otherwise. */
    submit: () => {
      setSubmitted(true);
      return parsed.success && !overHost ? parsed.data : null;
    },
  };
}
export type ContainerFormState = ReturnType<typeof useContainerForm>;
