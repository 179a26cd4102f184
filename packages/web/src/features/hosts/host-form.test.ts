import { HostCreate, HostUpdate } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { createBody, dockerContextCommand, NEW_HOST, updateBody } from './host-form.js';

const PEM = (what: string) => `-----BEGIN ${what}-----\nMIIB\n-----END ${what}-----\n`;
const tls = { ca: PEM('CERTIFICATE'), cert: PEM('CERTIFICATE'), key: PEM('PRIVATE KEY') };

describe('host definitions from the dialog', () => {
  it('sends what each kind needs and nothing of the others', () => {
    const socket = createBody({
      ...NEW_HOST,
      name: 'b',
      kind: 'socket',
      url: 'unix:///run/b.sock',
      ...tls,
      labels: 'home, lab home',
    });
    expect(socket).toEqual({
      name: 'b',
      kind: 'socket',
      url: 'unix:///run/b.sock',
      labels: ['home', 'lab'],
    });
    expect(HostCreate.safeParse(socket).success).toBe(true);

    const tcp = createBody({ ...NEW_HOST, name: 'nas', url: 'tcp://10.0.0.5:2376', ...tls });
    expect(tcp.tls).toEqual(tls);
    expect(tcp.insecure).toBeUndefined();
    const plain = createBody({
      ...NEW_HOST,
      name: 'nas',
      url: 'tcp://h:2375',
      insecure: true,
      ...tls,
    });
    expect(plain).toMatchObject({ insecure: true });
    expect(plain.tls).toBeUndefined();
  });

  it('pins the confirmed ssh host key, and leaves the key out for the agent', () => {
    const hostKey = `SHA256:${'a'.repeat(43)}`;
    const draft = { ...NEW_HOST, name: 'vps', kind: 'ssh' as const, url: 'ssh://me@vps' };
    const withKey = createBody({ ...draft, privateKey: PEM('OPENSSH PRIVATE KEY') }, { hostKey });
    expect(withKey.ssh).toEqual({ privateKey: PEM('OPENSSH PRIVATE KEY'), hostKey });
    expect(HostCreate.safeParse(withKey).success).toBe(true);
    const agent = createBody({ ...draft, useKey: false, privateKey: 'ignored' }, { hostKey });
    expect(agent.ssh).toEqual({ hostKey });
  });

  it('keeps stored TLS files when an edit leaves them empty', () => {
    const body = updateBody({ ...NEW_HOST, name: 'nas', url: 'tcp://h:2376', labels: 'vps' });
    expect(body).toEqual({ kind: 'tcp', url: 'tcp://h:2376', insecure: false, labels: ['vps'] });
    expect(HostUpdate.safeParse(body).success).toBe(true);
    expect(updateBody({ ...NEW_HOST, url: 'tcp://h:2376', ...tls }).tls).toEqual(tls);
  });

  it('shows the docker context the CLI would use', () => {
    expect(dockerContextCommand({ ...NEW_HOST, name: 'nas', url: 'tcp://10.0.0.5:2376' })).toBe(
      'docker context create nas --docker host=tcp://10.0.0.5:2376,ca=ca.pem,cert=cert.pem,key=key.pem',
    );
    expect(
      dockerContextCommand({ ...NEW_HOST, name: 'vps', kind: 'ssh', url: 'ssh://me@vps:2222' }),
    ).toBe('docker context create vps --docker host=ssh://me@vps:2222');
    expect(
      dockerContextCommand({ ...NEW_HOST, name: 'b', kind: 'socket', url: '/run/b.sock' }),
    ).toBe('docker context create b --docker host=unix:///run/b.sock');
  });

  it('sends an agent host as a name and labels, and changes only its labels', () => {
    const draft = { ...NEW_HOST, name: ' pi ', kind: 'agent' as const, url: 'x', ...tls };
    const body = createBody({ ...draft, labels: 'home edge' });
    expect(body).toEqual({ name: 'pi', kind: 'agent', labels: ['home', 'edge'] });
    expect(HostCreate.safeParse(body).success).toBe(true);
    expect(updateBody({ ...draft, labels: 'lab' })).toEqual({ labels: ['lab'] });
    expect(dockerContextCommand(draft)).toBeNull();
  });
});
