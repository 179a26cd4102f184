import { describe, expect, it } from 'vitest';
import { ContainerSpec } from './container-create.js';
import { imageReferenceProblem, parseImageReference } from './image-reference.js';

describe('image references ([registry[:port]/]path[:tag][@digest])', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each([
    ['nginx', 'registry-1.docker.io', 'library/nginx', 'latest', null],
    ['nginx:1.27', 'registry-1.docker.io', 'library/nginx', '1.27', null],
    ['docker.io/acme/app:v2', 'registry-1.docker.io', 'acme/app', 'v2', null],
    ['ghcr.io/acme/shop-api:1.4.2', 'ghcr.io', 'acme/shop-api', '1.4.2', null],
    ['localhost:5000/app', 'localhost:5000', 'app', 'latest', null],
    ['127.0.0.1:5000/a/b/c:t_1', '127.0.0.1:5000', 'a/b/c', 't_1', null],
    [`busybox@${digest}`, 'registry-1.docker.io', 'library/busybox', 'latest', digest],
    ['my_app__x/a-b--c.d:x', 'registry-1.docker.io', 'my_app__x/a-b--c.d', 'x', null],
  ])('%s', (ref, registry, repository, tag, wantDigest) => {
    expect(parseImageReference(ref)).toEqual({ registry, repository, tag, digest: wantDigest });
    expect(imageReferenceProblem(ref)).toBeNull();
  });

  it.each([
    ['Nginx', /lowercase/],
    ['nginx:', /a tag is/],
    ['nginx:-1', /a tag is/],
    [`nginx:${'a'.repeat(129)}`, /a tag is up to 128/],
    ['nginx@sha256:abc', /digest/],
    ['acme//app', /lowercase/],
    ['acme/app/', /lowercase/],
    ['nginx latest', /lowercase/],
    ['my-.app', /lowercase/],
    ['reg.io:port/app', /registry/],
  ])('%j is refused', (ref, why) => {
    expect(imageReferenceProblem(ref)).toMatch(why);
    expect(() => parseImageReference(ref)).toThrow(/invalid image reference/);
  });

  it('accepts a tag of exactly 128 characters', () => {
    expect(imageReferenceProblem(`nginx:${'a'.repeat(128)}`)).toBeNull();
  });

  it('is how the container spec checks its image, with the reason in the message', () => {
    const result = ContainerSpec.safeParse({ image: 'Nginx:1' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'image',
        'not an image reference: a repository is lowercase letters and digits, separated by /, ., _ or -',
      ],
    ]);
    expect(ContainerSpec.safeParse({ image: 'nginx:1.27' }).success).toBe(true);
  });
});
