import type { ContainerState } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { actionsFor, portBindings } from './container-actions.js';

describe('actionsFor', () => {
  it.each<[ContainerState, string[]]>([
    ['running', ['stop', 'restart', 'pause', 'kill', 'remove']],
    ['paused', ['unpause', 'stop', 'kill', 'remove']],
    ['restarting', ['stop', 'kill', 'remove']],
    ['exited', ['start', 'remove']],
    ['created', ['start', 'remove']],
    ['dead', ['remove']],
    ['removing', []],
  ])('a %s container offers %j', (state, actions) => {
    expect(actionsFor(state)).toEqual(actions);
  });

  it('never offers start to a paused container nor unpause to a running one', () => {
    expect(actionsFor('paused')).not.toContain('start');
    expect(actionsFor('running')).not.toContain('unpause');
  });
});

describe('portBindings', () => {
  const port = (hostIp: string | null, publicPort: number | null, protocol = 'tcp' as const) => ({
    hostIp,
    publicPort,
    privatePort: 80,
    protocol,
  });

  it('shows a binding on IPv4 and IPv6 once', () => {
    expect(portBindings([port('0.0.0.0', 8081), port('::', 8081)])).toEqual(['8081→80']);
  });

  it('keeps bindings to specific addresses apart, and leaves out unpublished ports', () => {
    expect(
      portBindings([port('127.0.0.1', 8081), port('::1', 8081), port(null, null), port('', 9000)]),
    ).toEqual(['127.0.0.1:8081→80', '[::1]:8081→80', '9000→80']);
  });

  it('names the protocol when it is not tcp', () => {
    expect(portBindings([{ ...port('0.0.0.0', 53), protocol: 'udp' }])).toEqual(['53→80/udp']);
  });
});
