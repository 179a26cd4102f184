import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRegistryTools,
  startTestRegistry,
  type TestRegistry,
} from '../../../../../scripts/lib/test-registry.mjs';
import { freePort } from '../../testing/free-port.js';
import {
  InvalidReferenceError,
  parseAuthChallenge,
  parseImageReference,
  RegistryClient,
  RegistryError,
  type RegistryCredentials,
} from '../registry-client.js';
import { tarFiles } from '../tar-write.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_PARTS = {
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};
const DOCKER_PARTS = {
  config: 'application/vnd.docker.container.image.v1+json',
  layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

const sha256 = (data: Buffer): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;
const basic = ({ username, password }: RegistryCredentials): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

async function registryError(pending: Promise<unknown>): Promise<RegistryError> {
  const error = await pending.then(
    () => null,
    (e: unknown) => e,
  );
  if (error instanceof RegistryError) return error;
  throw new Error(`expected a RegistryError, got ${String(error)}`);
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** Pushes the way `docker push` does, straight through the Registry API. */
class Pusher {
  constructor(
    private readonly registry: TestRegistry,
    private readonly credentials?: RegistryCredentials,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.credentials ? { ...extra, Authorization: basic(this.credentials) } : extra;
  }

  async blob(repository: string, mediaType: string, data: Buffer): Promise<Descriptor> {
    const digest = sha256(data);
    const started = await fetch(`${this.registry.url}/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      headers: this.headers(),
    });
    expect(started.status).toBe(202);
    const upload = new URL(started.headers.get('location') ?? '', this.registry.url);
    upload.searchParams.set('digest', digest);
    const put = await fetch(upload, {
      method: 'PUT',
      headers: this.headers({ 'Content-Type': 'application/octet-stream' }),
      body: data,
    });
    expect(put.status).toBe(201);
    return { mediaType, digest, size: data.length };
  }

  /** Returns the digest the registry reports for the manifest it stored. */
  async manifest(
    repository: string,
    tag: string,
    manifest: { mediaType: string } & Record<string, unknown>,
  ) {
    const data = Buffer.from(JSON.stringify(manifest));
    const put = await fetch(`${this.registry.url}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: this.headers({ 'Content-Type': manifest.mediaType }),
      body: data,
    });
    expect(put.status).toBe(201);
    const reported = put.headers.get('docker-content-digest');
    expect(reported).toBe(sha256(data));
    return { digest: reported ?? '', size: data.length };
  }

  /** A one-layer image whose single file says `text`. */
  async image(repository: string, tag: string, mediaType: string, text: string) {
    const parts = mediaType === OCI_MANIFEST ? OCI_PARTS : DOCKER_PARTS;
    const tar = await tarFiles([
      { name: 'hello.txt', content: Buffer.from(`${text}\n`), mode: 0o644, mtime: new Date(0) },
    ]);
    const config = {
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/bin/true'] },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    };
    return this.manifest(repository, tag, {
      schemaVersion: 2,
      mediaType,
      config: await this.blob(repository, parts.config, Buffer.from(JSON.stringify(config))),
      layers: [await this.blob(repository, parts.layer, gzipSync(tar))],
    });
  }
}

let registry: TestRegistry;
let secured: TestRegistry;
const login = { username: 'berth', password: 'correct horse: battery' };

beforeAll(async () => {
  await ensureRegistryTools();
  [registry, secured] = await Promise.all([
    startTestRegistry(),
    startTestRegistry({ auth: login }),
  ]);
});

afterAll(async () => {
  await Promise.all([registry?.stop(), secured?.stop()]);
});

describe('RegistryClient against a real registry', () => {
  const client = new RegistryClient();
  let first: { digest: string; size: number };

  beforeAll(async () => {
    first = await new Pusher(registry).image('berth/app', 'stable', OCI_MANIFEST, 'one');
  });

  it('reports the digest the registry gave on push', async () => {
    await expect(client.manifestDigest(`${registry.host}/berth/app:stable`)).resolves.toEqual({
      digest: first.digest,
      mediaType: OCI_MANIFEST,
    });
  });

  it('sees a tag move to another manifest', async () => {
    const pusher = new Pusher(registry);
    const ref = `${registry.host}/berth/moving:latest`;
    const before = await pusher.image('berth/moving', 'latest', OCI_MANIFEST, 'before');
    expect((await client.manifestDigest(ref)).digest).toBe(before.digest);

    const after = await pusher.image('berth/moving', 'latest', DOCKER_MANIFEST, 'after');
    expect(after.digest).not.toBe(before.digest);
    // No tag means latest, as for `docker pull`.
    await expect(client.manifestDigest(`${registry.host}/berth/moving`)).resolves.toEqual({
      digest: after.digest,
      mediaType: DOCKER_MANIFEST,
    });
  });

  it('resolves a reference by digest', async () => {
    const ref = `${registry.host}/berth/app@${first.digest}`;
    expect((await client.manifestDigest(ref)).digest).toBe(first.digest);
  });

  it('gives the index digest for a multi-platform tag, not a platform manifest', async () => {
    const index = await new Pusher(registry).manifest('berth/app', 'multi', {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_MANIFEST, ...first, platform: { architecture: 'amd64', os: 'linux' } },
      ],
    });
    await expect(client.manifestDigest(`${registry.host}/berth/app:multi`)).resolves.toEqual({
      digest: index.digest,
      mediaType: OCI_INDEX,
    });
  });

  it('reports an unknown tag, repository or digest as not_found', async () => {
    const missingDigest = `sha256:${'0'.repeat(64)}`;
    for (const ref of ['berth/app:nope', 'berth/never-pushed:1', `berth/app@${missingDigest}`]) {
      await expect(client.manifestDigest(`${registry.host}/${ref}`)).rejects.toMatchObject({
        name: 'RegistryError',
        reason: 'not_found',
        status: 404,
      });
    }
  });

  it('reports a registry nobody listens on as unreachable', async () => {
    const error = await registryError(client.manifestDigest(`127.0.0.1:${await freePort()}/a:b`));
    expect(error).toMatchObject({ reason: 'unreachable', status: null });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('accepts any login on a registry that asks for none, as docker login does', async () => {
    await expect(client.checkLogin(registry.host, login)).resolves.toBeUndefined();
  });

  it('refuses a bad reference before sending anything', async () => {
    await expect(client.manifestDigest('Berth/App')).rejects.toBeInstanceOf(InvalidReferenceError);
    await expect(client.checkLogin('evil.example/path?', login)).rejects.toBeInstanceOf(
      InvalidReferenceError,
    );
  });
});

describe('RegistryClient against a registry with htpasswd auth', () => {
  let pushed: { digest: string };
  const withLogin = (credentials: RegistryCredentials | undefined): RegistryClient =>
    new RegistryClient({
      credentials: (host) => (host === secured.host ? credentials : undefined),
    });

  beforeAll(async () => {
    pushed = await new Pusher(secured, login).image('team/api', '2', DOCKER_MANIFEST, 'secret');
  });

  it('says a login is needed when no credentials are set', async () => {
    const error = await registryError(
      withLogin(undefined).manifestDigest(`${secured.host}/team/api:2`),
    );
    expect(error).toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(error.message).toContain(`registry ${secured.host} requires a login`);
  });

  it('refuses a wrong password', async () => {
    const client = withLogin({ ...login, password: 'wrong' });
    const error = await registryError(client.manifestDigest(`${secured.host}/team/api:2`));
    expect(error).toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(error.message).toContain('refused the credentials of berth');
  });

  it('resolves the digest with the right credentials', async () => {
    await expect(withLogin(login).manifestDigest(`${secured.host}/team/api:2`)).resolves.toEqual({
      digest: pushed.digest,
      mediaType: DOCKER_MANIFEST,
    });
  });

  it('checks a login', async () => {
    const client = new RegistryClient();
    await expect(client.checkLogin(secured.host, login)).resolves.toBeUndefined();
    const error = await registryError(
      client.checkLogin(secured.host, { ...login, password: 'nope' }),
    );
    expect(error).toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(error.message).toBe(
      `registry ${secured.host} refused the credentials of berth (401): authentication required`,
    );
  });
});

describe('parseImageReference', () => {
  const digest = `sha256:${'ab'.repeat(32)}`;
  const hub = 'registry-1.docker.io';

  it.each([
    ['nginx', hub, 'library/nginx', 'latest', null],
    ['nginx:1.25', hub, 'library/nginx', '1.25', null],
    ['library/nginx', hub, 'library/nginx', 'latest', null],
    ['docker.io/nginx:alpine', hub, 'library/nginx', 'alpine', null],
    ['bitnami/redis:7.2', hub, 'bitnami/redis', '7.2', null],
    ['ghcr.io/a/b:c', 'ghcr.io', 'a/b', 'c', null],
    ['localhost:5000/x', 'localhost:5000', 'x', 'latest', null],
    ['localhost/x', 'localhost', 'x', 'latest', null],
    [`127.0.0.1:5000/a/b@${digest}`, '127.0.0.1:5000', 'a/b', 'latest', digest],
    [`nginx:1.25@${digest}`, hub, 'library/nginx', '1.25', digest],
    ['[::1]:5000/my_app/web-ui', '[::1]:5000', 'my_app/web-ui', 'latest', null],
  ])('%s', (ref, registry, repository, tag, expectedDigest) => {
    expect(parseImageReference(ref)).toEqual({
      registry,
      repository,
      tag,
      digest: expectedDigest,
    });
  });

  it.each([
    '',
    'Nginx',
    'nginx:',
    'a//b',
    'nginx@sha256:abc',
    'nginx:bad tag',
    'x/-y',
    'ex ample.com/a',
  ])('rejects %j', (ref) => {
    expect(() => parseImageReference(ref)).toThrow(InvalidReferenceError);
  });
});

describe('parseAuthChallenge', () => {
  it("reads Docker Hub's bearer challenge", () => {
    const header =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"';
    expect(parseAuthChallenge(header)).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull',
        },
      },
    ]);
  });

  it('reads basic, unquoted values and mixed case', () => {
    expect(parseAuthChallenge('BASIC Realm=registry')).toEqual([
      { scheme: 'basic', params: { realm: 'registry' } },
    ]);
  });

  it('splits several challenges and keeps commas inside quotes', () => {
    const header =
      'Bearer realm="https://t.example/token", scope="repository:a/b:pull,push" ,  Basic realm="x, y"';
    expect(parseAuthChallenge(header)).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://t.example/token', scope: 'repository:a/b:pull,push' },
      },
      { scheme: 'basic', params: { realm: 'x, y' } },
    ]);
  });

  it('unescapes quoted pairs and keeps error parameters', () => {
    expect(
      parseAuthChallenge(
        'Bearer realm="a\\"b\\\\c",error="insufficient_scope",error_description=""',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'a"b\\c', error: 'insufficient_scope', error_description: '' },
      },
    ]);
  });

  it('gives no challenge for an empty or broken header', () => {
    expect(parseAuthChallenge('')).toEqual([]);
    expect(parseAuthChallenge('  ,, ')).toEqual([]);
    expect(parseAuthChallenge('"quoted"')).toEqual([]);
    expect(parseAuthChallenge('Basic')).toEqual([{ scheme: 'basic', params: {} }]);
  });
});
