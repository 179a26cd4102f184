import { randomUUID } from 'node:crypto';
import type { RegistryCreate, RegistryUpdate, RegistryView } from '@berth/contract';
import type { SecretBox } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { DOCKER_HUB, DOCKER_HUB_ALIASES } from '../../docker/image-reference.js';
import {
  RegistryClient,
  RegistryError,
  parseImageReference,
  type RegistryCredentials,
} from '../../docker/registry-client.js';
import type { RegistriesRepository, RegistryRecord } from './registries-repository.js';

interface CachedRegistry {
  id: string;
  host: string;
  username: string;
  sealed: string;
  insecure: boolean;
}

/** Base64 with the URL-safe alphabet *and* padding: the engine's decoder insists on both. */
export function registryAuthHeader(auth: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(auth))
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

function toView(r: RegistryRecord): RegistryView {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    username: r.username,
    insecure: r.insecure,
    createdAt: r.createdAt,
  };
}

function normaliseHost(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/**
 * Registry credentials (admins only). Passwords are sealed at rest and never returned; they
 * are used for pulls, pushes and update checks against their registry.
 */
export class RegistriesService {
  private cache: CachedRegistry[] = [];

  constructor(
    private readonly registries: RegistriesRepository,
    private readonly box: SecretBox,
  ) {}

  async load(): Promise<void> {
    this.cache = (await this.registries.list()).map((r) => ({
      id: r.id,
      host: normaliseHost(r.host),
      username: r.username,
      sealed: r.sealedSecret,
      insecure: r.insecure,
    }));
  }

  async list(): Promise<RegistryView[]> {
    return (await this.registries.list()).map(toView);
  }

  async get(id: string): Promise<RegistryView> {
    const found = (await this.list()).find((r) => r.id === id);
    if (!found) throw AppError.notFound('registry_not_found', `No registry "${id}"`);
    return found;
  }

  async create(input: RegistryCreate): Promise<RegistryView> {
    if ((await this.list()).some((r) => normaliseHost(r.host) === normaliseHost(input.host))) {
      throw AppError.conflict(
        'registry_exists',
        `Credentials for ${input.host} exist already: change those`,
      );
    }
    const id = randomUUID();
    await this.registries.create({
      id,
      name: input.name,
      host: input.host,
      username: input.username,
      sealedSecret: this.box.encrypt(input.password),
      insecure: input.insecure,
    });
    await this.load();
    return this.get(id);
  }

  async update(id: string, input: RegistryUpdate): Promise<RegistryView> {
    await this.get(id);
    await this.registries.update(id, {
      name: input.name,
      username: input.username,
      sealedSecret: input.password !== undefined ? this.box.encrypt(input.password) : undefined,
      insecure: input.insecure,
    });
    await this.load();
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.registries.delete(id);
    await this.load();
  }

  /** Tries the stored credentials against the registry. */
  async test(id: string): Promise<{ ok: boolean; message: string }> {
    const found = this.cache.find((r) => r.id === id);
    if (!found) throw AppError.notFound('registry_not_found', `No registry "${id}"`);
    try {
      await this.client().checkLogin(found.host, {
        username: found.username,
        password: this.box.decrypt(found.sealed),
      });
      return { ok: true, message: `Logged in to ${found.host} as ${found.username}` };
    } catch (err) {
      if (err instanceof RegistryError) return { ok: false, message: err.message };
      throw err;
    }
  }

  credentialsFor(registry: string): RegistryCredentials | undefined {
    const found = this.cache.find((r) => r.host === normaliseHost(registry));
    return found
      ? { username: found.username, password: this.box.decrypt(found.sealed) }
      : undefined;
  }

  /** The engine's X-Registry-Auth header for a reference, when Berth has its credentials. */
  authHeader(reference: string): string | undefined {
    let registry: string;
    try {
      registry = parseImageReference(reference).registry;
    } catch {
      return undefined;
    }
    const creds = this.credentialsFor(registry);
    if (!creds) return undefined;
    const serveraddress = registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
    return registryAuthHeader({ ...creds, serveraddress });
  }

  /**
   * The engine's X-Registry-Config header for a build: every registry Berth has credentials
   * for, by host (Docker Hub by its index address), so a private base image can be pulled.
   */
  buildConfigHeader(): string | undefined {
    if (this.cache.length === 0) return undefined;
    const configs = Object.fromEntries(
      this.cache.map((r) => {
        const serveraddress = r.host === DOCKER_HUB ? 'https://index.docker.io/v1/' : r.host;
        const password = this.box.decrypt(r.sealed);
        return [serveraddress, { username: r.username, password, serveraddress }];
      }),
    );
    return registryAuthHeader(configs);
  }

  client(): RegistryClient {
    return new RegistryClient({
      credentials: (registry) => this.credentialsFor(registry),
      insecureRegistries: this.cache.filter((r) => r.insecure).map((r) => r.host),
    });
  }
}
