import { createHash } from 'node:crypto';
import { agentPathPattern } from '@berth/contract';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { enginePath, refusalOf } from '../agent/agent-policy.js';
import { generateKey } from '../agent/agent-session.js';
import { keyFingerprint } from '../agent/agent-state.js';

describe('agent keys', () => {
  it('makes only key pairs ssh2 can serve (it writes a few it cannot read back)', () => {
    for (let i = 0; i < 1500; i += 1) {
      const key = generateKey();
      const parsed = ssh2.utils.parseKey(key.private);
      expect(parsed instanceof Error ? parsed.message : 'ok').toBe('ok');
      expect(key.public).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* berth-agent$/);
    }
  });

  it('names a key by the fingerprint OpenSSH prints', () => {
    const key = generateKey();
    const parsed = ssh2.utils.parseKey(key.public);
    if (parsed instanceof Error) throw parsed;
    const digest = createHash('sha256').update(parsed.getPublicSSH()).digest('base64');
    expect(keyFingerprint(key.public)).toBe(`SHA256:${digest.replace(/=+$/, '')}`);
  });
});

describe("the agent's policy", () => {
  const open = { readOnly: false, deniedPaths: [] };

  it('reads paths without their API version or query', () => {
    expect(enginePath('/v1.41/containers/abc/exec?x=1')).toBe('/containers/abc/exec');
    expect(enginePath('/_ping')).toBe('/_ping');
  });

  it('lets only GET and HEAD through in read-only mode, and always the ping', () => {
    const readOnly = { readOnly: true, deniedPaths: [] };
    expect(refusalOf(readOnly, 'GET', '/v1.41/containers/json')).toBeNull();
    expect(refusalOf(readOnly, 'HEAD', '/_ping')).toBeNull();
    expect(refusalOf(readOnly, 'POST', '/v1.41/containers/abc/start')).toContain('read-only mode');
    expect(refusalOf(readOnly, 'DELETE', '/v1.41/images/x')).toContain('DELETE /images/x refused');
    expect(refusalOf(open, 'POST', '/v1.41/containers/abc/start')).toBeNull();
  });

  it('matches denied paths with * for one segment and ** for any', () => {
    const denied = { readOnly: false, deniedPaths: ['/containers/*/exec', '/images/**'] };
    expect(refusalOf(denied, 'POST', '/v1.41/containers/abc/exec')).toContain(
      'denied path /containers/*/exec',
    );
    expect(refusalOf(denied, 'POST', '/v1.41/containers/abc/start')).toBeNull();
    expect(refusalOf(denied, 'POST', '/v1.41/containers/a/b/exec')).toBeNull();
    expect(refusalOf(denied, 'GET', '/v1.41/images/library/busybox/json')).toContain('/images/**');
    expect(agentPathPattern('/exec/*/start').test('/exec/123/start')).toBe(true);
    expect(agentPathPattern('/exec/*/start').test('/exec/123/resize')).toBe(false);
    // Pattern text is literal apart from the stars.
    expect(agentPathPattern('/a.b').test('/axb')).toBe(false);
  });
});
