import { randomUUID } from 'node:crypto';
import {
  channelSecretFields,
  channelSettingsSchemas,
  ChannelKind,
  type ChannelConfigView,
  type ChannelCreate,
  type ChannelSettings,
  type ChannelUpdate,
  type ChannelView,
  type FieldIssue,
} from '@berth/contract';
import type { SecretBox } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import type { ChannelRecord, ChannelsRepository } from './notifications-repository.js';
import type { ChannelResolver, ResolvedChannel } from './notifier.js';

type Fields = Record<string, unknown>;

/** Splits a kind's settings into the plain part and the secrets (sealed apart). */
function split(settings: ChannelSettings): { plain: Fields; secrets: Fields } {
  const names: readonly string[] = channelSecretFields[settings.kind];
  const plain: Fields = {};
  const secrets: Fields = {};
  for (const [key, value] of Object.entries(settings.config as Fields)) {
    if (value === undefined) continue;
    (names.includes(key) ? secrets : plain)[key] = value;
  }
  return { plain, secrets };
}

/** The view of a channel's settings: secrets replaced by `has…` flags. */
function configView(kind: ChannelKind, plain: Fields, secrets: Fields): ChannelConfigView {
  const has = (key: string): boolean => secrets[key] !== undefined;
  const flags: Record<ChannelKind, Fields> = {
    email: { hasPassword: has('password') },
    webhook: { hasSecret: has('secret') },
    slack: { hasWebhookUrl: true },
    discord: { hasWebhookUrl: true },
    ntfy: { hasToken: has('token') },
    gotify: { hasToken: true },
  };
  return { kind, config: { ...plain, ...flags[kind] } } as ChannelConfigView;
}

function invalid(issues: FieldIssue[]): AppError {
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return AppError.badRequest('validation_failed', `Invalid request: ${summary}`, { issues });
}

/**
 * Notification channels (admins only). Each kind's secrets (passwords, tokens, webhook secrets,
 * Slack and Discord webhook URLs) are sealed at rest and never returned.
 */
export class ChannelsService implements ChannelResolver {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly box: SecretBox,
  ) {}

  async list(): Promise<ChannelView[]> {
    return (await this.channels.list()).map((r) => this.toView(r));
  }

  async get(id: string): Promise<ChannelView> {
    return this.toView(await this.record(id));
  }

  async create(input: ChannelCreate): Promise<ChannelView> {
    await this.refuseTakenName(input.name);
    const id = randomUUID();
    const { plain, secrets } = split(input);
    await this.channels.create({
      id,
      name: input.name,
      kind: input.kind,
      enabled: input.enabled,
      config: JSON.stringify(plain),
      sealedSecrets: this.seal(secrets),
    });
    return this.get(id);
  }

  /** Changes the fields given; the kind's settings are checked whole, secrets not given kept. */
  async update(id: string, input: ChannelUpdate): Promise<ChannelView> {
    const record = await this.record(id);
    if (input.name !== undefined && input.name !== record.name)
      await this.refuseTakenName(input.name);
    let config: string | undefined;
    let sealedSecrets: string | null | undefined;
    if (input.config !== undefined) {
      const current = this.settings(record);
      const merged: Fields = { ...(current.config as Fields) };
      for (const [key, value] of Object.entries(input.config)) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      const settings = this.parse(current.kind, merged);
      const parts = split(settings);
      config = JSON.stringify(parts.plain);
      sealedSecrets = this.seal(parts.secrets);
    }
    await this.channels.update(id, {
      name: input.name,
      enabled: input.enabled,
      config,
      sealedSecrets,
    });
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    await this.record(id);
    await this.channels.delete(id);
  }

  async resolve(id: string): Promise<ResolvedChannel | undefined> {
    const record = await this.channels.find(id);
    if (!record) return undefined;
    return {
      id: record.id,
      name: record.name,
      enabled: record.enabled,
      settings: this.settings(record),
    };
  }

  private async record(id: string): Promise<ChannelRecord> {
    const record = await this.channels.find(id);
    if (!record) throw AppError.notFound('channel_not_found', `No notification channel "${id}"`);
    return record;
  }

  private async refuseTakenName(name: string): Promise<void> {
    if ((await this.channels.list()).some((c) => c.name === name))
      throw AppError.conflict('channel_exists', `A channel named "${name}" exists already`);
  }

  /** A kind's settings checked by its schema; issues name `body.config.<field>`. */
  private parse(kind: ChannelKind, config: Fields): ChannelSettings {
    const result = channelSettingsSchemas[kind].safeParse(config);
    if (!result.success)
      throw invalid(
        result.error.issues.flatMap((issue) => {
          const path = ['body', 'config', ...issue.path.map(String)];
          if (issue.code === 'unrecognized_keys')
            return issue.keys.map((key) => ({
              field: [...path, key].join('.'),
              message: `is not a setting of a ${kind} channel`,
            }));
          return [{ field: path.join('.'), message: issue.message }];
        }),
      );
    return { kind, config: result.data } as ChannelSettings;
  }

  private settings(record: ChannelRecord): ChannelSettings {
    const kind = ChannelKind.parse(record.kind);
    const secrets = this.unseal(record.sealedSecrets);
    const config = { ...(JSON.parse(record.config) as Fields), ...secrets };
    return { kind, config } as ChannelSettings;
  }

  private toView(record: ChannelRecord): ChannelView {
    const kind = ChannelKind.parse(record.kind);
    return {
      id: record.id,
      name: record.name,
      enabled: record.enabled,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      ...configView(kind, JSON.parse(record.config) as Fields, this.unseal(record.sealedSecrets)),
    };
  }

  private seal(secrets: Fields): string | null {
    return Object.keys(secrets).length === 0 ? null : this.box.encrypt(JSON.stringify(secrets));
  }

  private unseal(sealed: string | null): Fields {
    return sealed === null ? {} : (JSON.parse(this.box.decrypt(sealed)) as Fields);
  }
}
