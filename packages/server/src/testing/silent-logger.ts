import { pino, type Logger } from 'pino';

/** A real logger that writes nothing unless BERTH_TEST_LOG names a level. */
export function testLogger(): Logger {
  return pino({ level: process.env.BERTH_TEST_LOG ?? 'silent' });
}

/** A real logger that keeps every line it writes, parsed, for tests that check what was logged. */
export function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines };
}
