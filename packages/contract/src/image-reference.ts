/** Image references as Docker reads them: registry, repository, tag, digest. */

export interface ImageReference {
  /** API host, e.g. registry-1.docker.io, ghcr.io, 127.0.0.1:5000 */
  registry: string;
  repository: string;
  /** 'latest' when the reference names none; a digest, when present, wins over it. */
  tag: string;
  digest: string | null;
}

export class InvalidReferenceError extends Error {
  constructor(
    readonly reference: string,
    message: string,
    /** What is wrong, without the reference: for a form field's message. */
    readonly reason: string = message,
  ) {
    super(message);
    this.name = 'InvalidReferenceError';
  }
}

export const DOCKER_HUB = 'registry-1.docker.io';
export const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', DOCKER_HUB]);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
export const REGISTRY_HOST = new RegExp(
  `^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-fA-F:.]+\\])(?::\\d{1,5})?$`,
);

/** Docker's normalisation of an image reference (what `docker pull <ref>` would fetch). */
export function parseImageReference(ref: string): ImageReference {
  const invalid = (why: string): InvalidReferenceError =>
    new InvalidReferenceError(ref, `invalid image reference "${ref}": ${why}`, why);
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!SHA256_DIGEST.test(digest)) throw invalid('a digest is sha256: and 64 hex digits');
  }
  let tag = 'latest';
  const colon = rest.lastIndexOf(':');
  // A colon before the last slash belongs to a registry's port, not to a tag.
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid('a tag is up to 128 letters, digits, _, . and -');
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  let registry = hasRegistry ? first : DOCKER_HUB;
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (hasRegistry && !REGISTRY_HOST.test(registry)) throw invalid('bad registry host');
  if (DOCKER_HUB_ALIASES.has(registry.toLowerCase())) {
    registry = DOCKER_HUB;
    if (!repository.includes('/')) repository = `library/${repository}`;
  }
  if (repository.length > 255 || !repository.split('/').every((c) => PATH_COMPONENT.test(c))) {
    throw invalid('a repository is lowercase letters and digits, separated by /, ., _ or -');
  }
  return { registry, repository, tag, digest };
}

/** Why `ref` is not an image reference Docker would pull, or null when it is one. */
export function imageReferenceProblem(ref: string): string | null {
  try {
    parseImageReference(ref);
    return null;
  } catch (error) {
    if (error instanceof InvalidReferenceError) return error.reason;
    throw error;
  }
}
