import { api, type BuildResult } from '@berth/contract';
import type { Command } from 'commander';
import { change } from '../core/change.js';
import { collect, sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { followHostEvents } from './host-events.js';
import { readBuildContext } from './image-context.js';

interface BuildOptions {
  tag?: string[];
  file?: string;
  buildArg?: string[];
  target?: string;
  noCache?: boolean;
}

function buildArgsOf(list: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    // `--build-arg NAME` alone takes NAME from the environment, as docker does.
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? process.env[item] : item.slice(eq + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new UsageError(`--build-arg ${item}: the name must be letters, digits and _`);
    if (value !== undefined) args[key] = value;
  }
  return args;
}

/**
 * `berth image build -t TAG [-f Dockerfile] [--build-arg K=V] [--target] [--no-cache] PATH`:
 * the folder goes as a tar (less what `.dockerignore` excludes), the build's output is printed
 * as the engine writes it, and a failed build exits 1 naming its step and error.
 */
export function registerImageBuild(image: Command): void {
  image
    .command('build')
    .description('Build an image from a folder and its Dockerfile (docker build)')
    .argument('<path>', 'The build context: a folder')
    .requiredOption('-t, --tag <tag>', 'Name the image, like myapp:1.0 (repeatable)', collect)
    .option('-f, --file <dockerfile>', 'The Dockerfile (default: PATH/Dockerfile)')
    .option('--build-arg <name=value>', 'A build argument (repeatable)', collect)
    .option('--target <stage>', 'Build up to this stage')
    .option('--no-cache', 'Do not use the build cache')
    .action(async (path: string, options: BuildOptions, command: Command) => {
      const session = sessionOf(command);
      const tags = options.tag ?? [];
      const buildArgs = buildArgsOf(options.buildArg ?? []);
      const context = await readBuildContext(path, options.file);
      // commander's --no-cache sets cache: false.
      const noCache = (options as { cache?: boolean }).cache === false;
      const query = {
        tag: tags,
        dockerfile: context.dockerfile,
        ...(Object.keys(buildArgs).length > 0 ? { buildArgs: JSON.stringify(buildArgs) } : {}),
        ...(options.target ? { target: options.target } : {}),
        ...(noCache ? { noCache: 'true' as const } : {}),
      };
      const docker = [
        'docker',
        'build',
        ...tags.flatMap((t) => ['--tag', t]),
        ...(options.file ? ['--file', options.file] : []),
        ...Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
        ...(options.target ? ['--target', options.target] : []),
        ...(noCache ? ['--no-cache'] : []),
        path,
      ];
      io.err(`Sending build context: ${context.files.length} files (${context.files.join(', ')})`);
      const params = { host: session.host };
      const result = await change(
        session,
        { docker, route: api.images.buildContext, input: { params, query } },
        async (): Promise<BuildResult> => {
          let streamed = 0;
          const follow = await followHostEvents(session, (m) => {
            if (m.type === 'progress' && m.operation === 'build' && m.subject === tags[0]) {
              streamed++;
              io.out(m.status);
            }
          });
          let answer: BuildResult;
          try {
            answer = await session.client.images.buildContext({
              params,
              query,
              body: context.body(),
            });
          } finally {
            follow.close();
          }
          // Lines the stream had not delivered yet when the answer came.
          for (const line of answer.log.slice(streamed)) io.out(line);
          return answer;
        },
      );
      if (!result) return;
      if (!result.ok)
        throw new CliError(
          `build failed${result.failedStep ? ` at ${result.failedStep}` : ''}: ${result.error ?? 'no reason given'}`,
        );
      io.out(`Built ${result.imageId ?? ''} as ${result.tags.join(', ')}`);
    });
}
