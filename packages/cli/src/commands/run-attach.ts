import { setTimeout as delay } from 'node:timers/promises';
import { CliError, describeError } from '../core/errors.js';
import type { Session } from '../core/session.js';
import { attachTo } from './attach.js';

/**
 * Follows a started container's output (its whole history first, so nothing written before
 * the stream opened is lost) until it exits: stdout to stdout, stderr to stderr. Answers its
 * exit code.
 */
export async function followUntilExit(session: Session, id: string): Promise<number> {
  const stream = session.client.logs.follow;
  const params = { host: session.host, id };
  const socket = await session.socket(stream.url({ params, query: { tail: 'all' } }));
  // Ctrl-C goes to the container, as docker's sig-proxy does; a second one stops following.
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts += 1;
    if (interrupts > 1) {
      process.stderr.write('Stopped following; the container keeps running.\n');
      socket.close();
      return;
    }
    session.client.containers
      .kill({ params, query: { signal: 'SIGINT' } })
      .catch((err: unknown) => {
        process.stderr.write(`cannot pass Ctrl-C on: ${describeError(err)}\n`);
      });
  };
  process.on('SIGINT', onInterrupt);
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = stream.parse(data.toString('utf8'));
      if (message.type === 'lines') {
        for (const line of message.lines)
          (line.stream === 'stderr' ? process.stderr : process.stdout).write(`${line.text}\n`);
      } else if (message.type === 'error') {
        reject(new CliError(`${message.code}: ${message.message}`));
      } else if (message.type === 'dropped') {
        process.stderr.write(`(${message.count} lines dropped: the output came too fast)\n`);
      }
    });
    socket.on('error', reject);
    socket.on('unexpected-response', (_req, res) =>
      reject(new CliError(`the log stream was refused (HTTP ${res.statusCode ?? '?'})`)),
    );
    socket.on('close', () => resolve());
  }).finally(() => process.off('SIGINT', onInterrupt));
  if (interrupts > 1) return 130;
  // The engine ends a follow when the container stops; its state says so a moment later.
  for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
    const detail = await session.client.containers.get({ params });
    if (detail.state !== 'running' && detail.state !== 'restarting') return detail.exitCode;
    await delay(wait);
  }
}

/**
 * `docker run -i`/`-t` attached: attaches to the created container first (no output is
 * missed), starts it once the server has attached, then passes input and output as
 * `berth attach` does. Answers the exit code, or 'detached' after the detach keys.
 */
export async function attachAndStart(
  session: Session,
  id: string,
  stdin: boolean,
): Promise<number | 'detached'> {
  const params = { host: session.host, id };
  // Without a raw terminal Ctrl-C is a signal here: it goes to the container (sig-proxy).
  const onInterrupt = (): void => {
    session.client.containers
      .kill({ params, query: { signal: 'SIGINT' } })
      .catch((err: unknown) => {
        process.stderr.write(`cannot pass Ctrl-C on: ${describeError(err)}\n`);
      });
  };
  process.on('SIGINT', onInterrupt);
  try {
    const ending = await attachTo(session, id, {
      stdin,
      onAttached: async () => {
        await session.client.containers.start({ params });
      },
    });
    if ('detached' in ending) return 'detached';
    if (ending.exitCode === null) throw new CliError(`${id} exited; its exit code is unknown`);
    return ending.exitCode;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
