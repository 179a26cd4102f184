/** The labels `docker stack deploy` sets (docker/cli cli/compose/convert), read by `docker stack ls/ps/rm`. */
export const STACK_NAMESPACE = 'com.docker.stack.namespace';
/** On the service's labels (the real `docker stack deploy` puts it there): the image as the files name it. */
export const STACK_IMAGE = 'com.docker.stack.image';
/** Berth's own: the SHA-256 of a secret's or config's data, so a plan can tell a changed file. */
export const STACK_DIGEST = 'io.berth.swarm-stack.digest';

export const scoped = (namespace: string, key: string): string => `${namespace}_${key}`;

export function withNamespace(
  namespace: string,
  labels: Record<string, string> | undefined,
): Record<string, string> {
  return { ...labels, [STACK_NAMESPACE]: namespace };
}
