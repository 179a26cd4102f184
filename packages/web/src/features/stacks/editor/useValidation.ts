import { StackName, type ComposeIssue } from '@berth/contract';
import { useEffect, useState } from 'react';
import { client } from '../../../api/client.js';
import { useCurrentHost } from '../../../app/host-paths.js';

export interface Validation {
  /** null until the first answer. */
  ok: boolean | null;
  issues: ComposeIssue[];
  services: string[];
  checking: boolean;
  error: unknown;
}

const PAUSE_MS = 400;

/**
 * The files checked by the server as they are typed: once typing pauses, so a burst of keys
 * makes one request; an answer that a newer edit overtook is dropped.
 */
export function useValidation(name: string, files: Record<string, string>): Validation {
  const host = useCurrentHost();
  const [state, setState] = useState<Validation>({
    ok: null,
    issues: [],
    services: [],
    checking: false,
    error: null,
  });
  useEffect(() => {
    let current = true;
    // A stack not yet named is checked under a stand-in name (the name is checked by its field).
    const checkedAs = StackName.safeParse(name).success ? name : 'new-stack';
    const timer = setTimeout(() => {
      setState((was) => ({ ...was, checking: true }));
      client.stacks
        .validate({ params: { host }, body: { name: checkedAs, files } })
        .then((answer) => {
          if (current) setState({ ...answer, checking: false, error: null });
        })
        .catch((error: unknown) => {
          if (current) setState((was) => ({ ...was, checking: false, error }));
        });
    }, PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [name, files, host]);
  return state;
}
