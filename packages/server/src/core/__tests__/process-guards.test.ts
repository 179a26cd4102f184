import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../../testing/silent-logger.js';
import { installProcessGuards } from '../process-guards.js';

class FakeProcess extends EventEmitter {
  exitCode: number | null = null;
  exit(code: number): void {
    this.exitCode = code;
  }
}

describe('process guards', () => {
  it('logs and counts unhandled rejections, and serves on', () => {
    const { logger, lines } = recordingLogger();
    const proc = new FakeProcess();
    const guards = installProcessGuards(logger, proc);
    proc.emit('unhandledRejection', new Error('the disk is full'));
    proc.emit('unhandledRejection', 'a bare string');
    expect(guards.unhandledRejections).toBe(2);
    expect(proc.exitCode).toBeNull();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 50,
      unhandledRejections: 1,
      err: { type: 'Error', message: 'the disk is full', stack: expect.stringContaining('Error') },
    });
    expect(lines[1]).toMatchObject({ unhandledRejections: 2, reason: 'a bare string' });
  });

  it('logs an uncaught exception as fatal, then exits 1', () => {
    const { logger, lines } = recordingLogger();
    const proc = new FakeProcess();
    installProcessGuards(logger, proc);
    proc.emit('uncaughtException', new TypeError('x is not a function'), 'uncaughtException');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 60,
        msg: 'uncaught exception; exiting',
        origin: 'uncaughtException',
        err: expect.objectContaining({ type: 'TypeError', message: 'x is not a function' }),
      }),
    ]);
    expect(proc.exitCode).toBe(1);
  });
});
