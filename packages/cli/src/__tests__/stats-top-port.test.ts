import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProcessList, StatsManyMessage } from '@berth/contract';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../server/src/testing/test-engine.js';
import { cliMain, CliWorld } from './cli-harness.js';
import { RunningCli } from './cli-stream.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let name = '';
let hostPort = 0;

beforeAll(async () => {
  await world.start();
  name = engine.name('stats');
  // Published on a port the engine picks, as `docker run -p 80` does.
  const created = await engine.client.request<{ Id: string }>('POST', '/containers/create', {
    query: { name },
    body: {
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: { [TEST_LABEL]: engine.runId },
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '' }] } },
      StopTimeout: 1,
    },
  });
  await engine.start(created.Id);
  const inspect = await engine.client.request<{
    NetworkSettings: { Ports: Record<string, { HostPort: string }[] | null> };
  }>('GET', `/containers/${created.Id}/json`);
  hostPort = Number(inspect.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort);
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth stats', () => {
  it('prints one table with the container’s row (--no-stream, and without a terminal)', async () => {
    const named = await world.run(['stats', '--no-stream', name], { env: world.env() });
    expect(named.err).toBe('');
    expect(named.code).toBe(0);
    const [header, row, ...rest] = named.out.trimEnd().split('\n');
    expect(header).toMatch(
      /^NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/,
    );
    expect(row).toMatch(
      new RegExp(`^${name}\\s+\\d+\\.\\d\\d%\\s+\\S+ \\w?i?B / \\S+ \\w?i?B\\s+[\\d.]+%.*\\s1$`),
    );
    expect(rest).toEqual([]);

    // A name that is no container: an error naming it, exit 1, the other rows still printed.
    const missing = await world.run(['stats', '--no-stream', name, 'nope-stats'], {
      env: world.env(),
    });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error: .*nope-stats/m);
    expect(missing.out).toMatch(new RegExp(`\\n${name}\\s+\\d`));
    expect(missing.out).not.toContain('nope-stats');

    // No names: every running container, this one among them; piped, it prints once and ends.
    const all = await world.run(['stats'], { env: world.env() });
    expect(all.code).toBe(0);
    expect(all.out).toMatch(new RegExp(`\\n${name}\\s+\\d`));
  });

  it('prints the stats answers as JSON with -o json', async () => {
    const json = await world.run(['stats', '--no-stream', '-o', 'json', name], {
      env: world.env(),
    });
    expect(json.code).toBe(0);
    const answers = z.array(StatsManyMessage).parse(JSON.parse(json.out));
    expect(answers).toMatchObject([{ type: 'stats', id: name, pids: 1 }]);
  });
});

describe('berth top', () => {
  it('lists the container’s processes as a table, and -o json as the API answered', async () => {
    const table = await world.run(['top', name], { env: world.env() });
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^(UID|PID)\s+/);
    expect(table.out).toMatch(/sleep 300/);
    const json = await world.run(['top', name, '-o', 'json'], { env: world.env() });
    const list = ProcessList.parse(JSON.parse(json.out));
    expect(list.processes.some((p) => p.join(' ').includes('sleep 300'))).toBe(true);
    const before = await world.run(['top', '-o', 'yaml', name], { env: world.env() });
    expect(before.out).toMatch(/^titles:/);

    // ps options after the container, as docker top takes them; -o there is ps's.
    const custom = await world.run(['top', name, '-o', 'pid,comm'], { env: world.env() });
    expect(custom.code).toBe(0);
    expect(custom.out.split('\n')[0]).toMatch(/^PID\s+COMMAND$/);
    expect(custom.out).toMatch(/\ssleep\n/);
    const aux = await world.run(['top', name, 'aux'], { env: world.env() });
    expect(aux.out.split('\n')[0]).toMatch(/^USER\s+PID\s+%CPU/);
    const bad = await world.run(['top', name, '-o', 'pid;id'], { env: world.env() });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('ps options');
  });
});

describe('berth port', () => {
  it('prints the published ports as docker port does, or where one private port goes', async () => {
    expect(hostPort).toBeGreaterThan(0);
    const all = await world.run(['port', name], { env: world.env() });
    expect(all).toEqual({ code: 0, out: `80/tcp -> 0.0.0.0:${hostPort}\n`, err: '' });
    const one = await world.run(['port', name, '80/tcp'], { env: world.env() });
    expect(one).toEqual({ code: 0, out: `0.0.0.0:${hostPort}\n`, err: '' });
    const none = await world.run(['port', name, '81'], { env: world.env() });
    expect(none.code).toBe(1);
    expect(none.err).toContain("no public port '81'");
    const bad = await world.run(['port', name, 'eighty'], { env: world.env() });
    expect(bad.code).toBe(2);
  });
});

describe('berth stats on a terminal', () => {
  it('redraws the table in place until interrupted', async () => {
    const line = [process.execPath, cliMain, 'stats', name].map((arg) => `'${arg}'`).join(' ');
    const term = RunningCli.spawn('script', ['-qec', line, '/dev/null'], {
      HOME: world.home,
      TERM: 'xterm',
      COLUMNS: '200',
      ...world.env(),
    });
    // A second drawing moves the cursor up over the first (header and one row) and clears.
    await term.waitForOut('a redrawn table', (out) => out.includes('\u001b[2A\u001b[J'));
    expect(term.out).toMatch(new RegExp(`${name}\\s+\\d+\\.\\d\\d%`));
    term.child.kill('SIGTERM');
    await term.ended();
  });
});
