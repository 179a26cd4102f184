import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';

/** The text of every file of a stack (its detail lists them), read once per change of the list. */
export const useStackFiles = (host: string, name: string, paths: string[] | undefined) =>
  useQuery({
    queryKey: [...keys.stack(host, name), 'files', paths ?? []],
    enabled: paths !== undefined,
    // A file added or removed changes the key: the editor keeps the last files meanwhile.
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const read = await Promise.all(
        (paths ?? []).map((path) => client.stacks.readFile({ params: { host, name, '*': path } })),
      );
      return Object.fromEntries(read.map((f) => [f.path, f.content]));
    },
  });
