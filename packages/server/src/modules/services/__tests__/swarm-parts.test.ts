import { describe, expect, it } from 'vitest';
import { RollbackLedger } from '../rollback-ledger.js';
import { parseServiceLine } from '../service-logs.js';
import { swarmMessage } from '../swarm-events.js';

/** The small parts: a service log line's task, who rolled back, engine events as messages. */
describe('swarm services parts', () => {
  it('reads the task and node of a service log line (timestamp, details, text)', () => {
    const line = parseServiceLine({
      stream: 'stdout',
      text: '2026-12-03T07:00:00.123456789Z com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t%201 hello world',
    });
    expect(line).toEqual({
      stream: 'stdout',
      timestamp: '2026-12-03T07:00:00.123456789Z',
      task: 't 1',
      node: 'n1',
      text: 'hello world',
    });
    expect(
      parseServiceLine({ stream: 'stderr', text: '2026-12-03T07:00:00Z plain' }),
    ).toMatchObject({
      task: null,
      text: 'plain',
    });
  });

  it('remembers who started a rollback after the engine says only "rollback completed"', () => {
    const ledger = new RollbackLedger();
    const started = { State: 'rollback_started' as const, StartedAt: 't0' };
    ledger.note('a', {
      ...started,
      Message: 'update rolled back due to failure or early termination of task x',
    });
    ledger.note('b', { ...started, Message: 'manually requested rollback' });
    const done = {
      State: 'rollback_completed' as const,
      StartedAt: 't0',
      Message: 'rollback completed',
    };
    expect(ledger.kindOf('a', done)).toBe('automatic');
    expect(ledger.kindOf('b', done)).toBe('manual');
    expect(ledger.kindOf('c', done)).toBe('unknown');
    // A later rollback of the same service is a new one.
    expect(ledger.kindOf('a', { ...done, StartedAt: 't1' })).toBe('unknown');
  });

  it('turns service events and task container events into swarm messages, and nothing else', () => {
    const base = { time: 1, timeNano: 1 };
    expect(
      swarmMessage('h', {
        ...base,
        Type: 'service',
        Action: 'update',
        Actor: { ID: 's1', Attributes: { name: 'web', 'updatestate.new': 'updating' } },
      }),
    ).toEqual({
      type: 'swarm-change',
      host: 'h',
      kind: 'service',
      action: 'update',
      id: 's1',
      name: 'web',
      service: null,
      updateState: 'updating',
    });
    expect(
      swarmMessage('h', {
        ...base,
        Type: 'container',
        Action: 'start',
        Actor: {
          ID: 'c1',
          Attributes: { 'com.docker.swarm.task.id': 't1', 'com.docker.swarm.service.id': 's1' },
        },
      }),
    ).toMatchObject({ kind: 'task', id: 't1', service: 's1', action: 'start' });
    expect(
      swarmMessage('h', {
        ...base,
        Type: 'container',
        Action: 'exec_start: sh',
        Actor: { ID: 'c1', Attributes: { 'com.docker.swarm.task.id': 't1' } },
      }),
    ).toBeNull();
    expect(
      swarmMessage('h', { ...base, Type: 'container', Action: 'start', Actor: { ID: 'c' } }),
    ).toBeNull();
  });
});
