import { pino, type Logger } from 'pino';

/** A real logger that writes nothing unless BERTH_TEST_LOG names a level. */
export function testLogger(): Logger {
  return pino({ level: process.env.BERTH_TEST_LOG ?? 'silent' });
}
