import type { ChannelView } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { channelCreate, channelUpdate, targetText, valuesOf } from './channel-form.js';

const stored: ChannelView = {
  id: 'c1',
  name: 'mail',
  enabled: true,
  createdAt: '2026-12-02T12:00:00.000Z',
  updatedAt: '2026-12-02T12:00:00.000Z',
  kind: 'email',
  config: {
    host: 'smtp.example.com',
    port: 587,
    security: 'starttls',
    username: 'berth',
    hasPassword: true,
    from: 'berth@example.com',
    to: ['ops@example.com', 'dev@example.com'],
  },
};

describe('the channel form', () => {
  it('makes a create body per kind, lists split', () => {
    const made = channelCreate('email', 'mail', true, {
      host: 'smtp.example.com',
      port: '465',
      security: 'tls',
      password: 's3cret',
      from: 'berth@example.com',
      to: 'ops@example.com, dev@example.com',
    });
    expect(made.ok && made.body.config).toEqual({
      host: 'smtp.example.com',
      port: 465,
      security: 'tls',
      password: 's3cret',
      from: 'berth@example.com',
      to: ['ops@example.com', 'dev@example.com'],
    });
  });

  it('names the settings that are wrong', () => {
    const made = channelCreate('ntfy', '', true, { serverUrl: 'ftp://x', topic: 'a b' });
    expect(made.ok ? [] : Object.keys(made.errors).sort()).toEqual(['name', 'serverUrl', 'topic']);
  });

  it('shows a stored channel without its secret, and keeps the secret when left empty', () => {
    const values = valuesOf(stored);
    expect(values.password).toBe('');
    expect(values.to).toBe('ops@example.com, dev@example.com');
    const update = channelUpdate(stored, 'mail', true, { ...values, port: '2525' });
    expect(update.ok && update.body.config).not.toHaveProperty('password');
    expect(update.ok && update.body.config.port).toBe(2525);
    expect(targetText(stored)).toBe('ops@example.com, dev@example.com via smtp.example.com:587');
  });

  it('asks for a required secret that was never stored', () => {
    const slack: ChannelView = { ...stored, kind: 'slack', config: { hasWebhookUrl: true } };
    expect(channelUpdate(slack, 'chat', true, { webhookUrl: '' }).ok).toBe(true);
    expect(channelCreate('slack', 'chat', true, { webhookUrl: '' }).ok).toBe(false);
  });
});
