import { readFileSync } from 'node:fs';
import { AgentPolicy } from '@berth/contract';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { collect } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { cliVersion } from './version.js';

interface AgentFlags {
  server?: string;
  token?: string;
  engine?: string;
  readOnly?: boolean;
  deny?: string[];
  config?: string;
  stateDir?: string;
  heartbeat?: string;
}

/** The agent's own config file: the same settings as its flags (flags win). */
const AgentConfigFile = z.strictObject({
  server: z.string().optional(),
  token: z.string().optional(),
  engine: z.string().optional(),
  readOnly: z.boolean().optional(),
  deny: z.array(z.string()).optional(),
  stateDir: z.string().optional(),
});

function readConfig(file: string | undefined): z.infer<typeof AgentConfigFile> {
  if (file === undefined) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read --config ${file}: ${(err as Error).message}`);
  }
  const parsed = AgentConfigFile.safeParse(parseYaml(text) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `--config ${file}: ${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description(
      'Run the agent beside an engine Berth cannot reach: it dials out to Berth and serves the engine there (pair once with a join token)',
    )
    .option('--server <url>', "Berth's URL, https://… (kept after pairing)")
    .option('--token <token>', 'The join token Berth showed (or BERTH_AGENT_TOKEN); used once')
    .option(
      '--engine <address>',
      'The engine: unix:///var/run/docker.sock (default: DOCKER_HOST or that) or tcp://host:port',
    )
    .option(
      '--read-only',
      'Refuse everything but GET and HEAD (lists, inspect, logs, stats, events)',
    )
    .option(
      '--deny <path>',
      'Refuse an Engine API path, e.g. /containers/*/exec (repeatable; * one segment, ** any)',
      collect,
    )
    .option('--config <file>', 'A YAML file with server, token, engine, readOnly, deny, stateDir')
    .option(
      '--state-dir <dir>',
      'Where the key and pairing are kept (default: BERTH_AGENT_STATE, /var/lib/berth-agent as root, ~/.local/state/berth-agent)',
    )
    .option(
      '--heartbeat <seconds>',
      'How often the connection to Berth is checked; a silent one is redialled',
      '15',
    )
    .action(async (flags: AgentFlags) => {
      const config = readConfig(flags.config);
      const heartbeat = Number(flags.heartbeat);
      if (!Number.isFinite(heartbeat) || heartbeat < 1 || heartbeat > 3600)
        throw new UsageError(`--heartbeat ${flags.heartbeat}: give seconds between 1 and 3600`);
      const policy = AgentPolicy.safeParse({
        readOnly: flags.readOnly ?? config.readOnly ?? false,
        deniedPaths: [...(config.deny ?? []), ...(flags.deny ?? [])],
      });
      if (!policy.success)
        throw new UsageError(`--deny: ${policy.error.issues[0]?.message ?? 'invalid'}`);
      for (const path of policy.data.deniedPaths)
        if (!path.startsWith('/'))
          throw new UsageError(`--deny ${path}: an Engine API path starts with /`);
      // Loaded on demand: the agent's SSH and state modules are not needed by other commands.
      const [{ runAgent }, { defaultStateDir }, { AgentStop }] = await Promise.all([
        import('../agent/agent.js'),
        import('../agent/agent-state.js'),
        import('../agent/agent-session.js'),
      ]);
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      const log = (line: string): void => {
        io.err(`${new Date().toISOString()} berth agent: ${line}`);
      };
      if (policy.data.readOnly || policy.data.deniedPaths.length > 0)
        log(
          `policy: ${policy.data.readOnly ? 'read-only' : 'read-write'}${policy.data.deniedPaths.length ? `, denied ${policy.data.deniedPaths.join(' ')}` : ''}`,
        );
      try {
        await runAgent({
          server: flags.server ?? config.server ?? null,
          token: flags.token ?? process.env.BERTH_AGENT_TOKEN ?? config.token ?? null,
          engine:
            flags.engine ??
            config.engine ??
            process.env.DOCKER_HOST ??
            'unix:///var/run/docker.sock',
          policy: policy.data,
          stateDir: flags.stateDir ?? config.stateDir ?? defaultStateDir(),
          version: cliVersion(),
          log,
          signal: controller.signal,
          heartbeatMs: heartbeat * 1000,
        });
      } catch (err) {
        if (err instanceof AgentStop) throw new CliError(err.message);
        throw err;
      }
      log('stopped');
    });
}
