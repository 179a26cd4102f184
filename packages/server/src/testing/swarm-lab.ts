import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function ip(...args: string[]): Promise<string> {
  return (await run('ip', args)).stdout;
}

/**
 * A private /24 on a bridge of this machine (its .1 is the address the manager advertises),
 * and network namespaces wired to it by veth pairs: each namespace is a machine of its own at
 * .10, .11, … where a node's dockerd runs. No default route: a pull from a registry fails at once
 * instead of waiting for DNS. Everything is deleted by `remove()`.
 */
export class SwarmLab {
  private readonly namespaces: string[] = [];
  private constructor(
    readonly id: string,
    readonly bridge: string,
    /** The first three octets: "10.215.83". */
    readonly prefix: string,
  ) {}

  /** The bridge's own address: the manager on this machine advertises it. */
  get hostAddr(): string {
    return `${this.prefix}.1`;
  }

  /**
   * Makes the bridge. Namespaces need root and `ip netns`: without them this fails with the
   * reason (a multi-node swarm cannot be tested here), never silently.
   */
  static async create(): Promise<SwarmLab> {
    if (process.getuid?.() !== 0)
      throw new Error(
        'a multi-node swarm test needs root (network namespaces and veth pairs): run the tests as root',
      );
    const id = randomBytes(3).toString('hex');
    const probe = `berthprobe${id}`;
    try {
      await ip('netns', 'add', probe);
      await ip('netns', 'del', probe);
    } catch (err) {
      throw new Error(
        `a multi-node swarm test needs network namespaces, and \`ip netns add\` fails here: ${(err as Error).message}`,
      );
    }
    const routes = await ip('-4', 'route');
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const prefix = `10.215.${16 + Math.floor(Math.random() * 224)}`;
      if (routes.includes(`${prefix}.`)) continue;
      const bridge = `bsw${id}`;
      await ip('link', 'add', bridge, 'type', 'bridge');
      await ip('addr', 'add', `${prefix}.1/24`, 'dev', bridge);
      await ip('link', 'set', bridge, 'up');
      return new SwarmLab(id, bridge, prefix);
    }
    throw new Error('no free 10.215.x.0/24 range for the swarm test network');
  }

  /** A new namespace on the lab's network; resolves with its name and address. */
  async addMachine(): Promise<{ netns: string; addr: string }> {
    const index = this.namespaces.length;
    const netns = `berthsw-${this.id}-${index}`;
    const hostSide = `vsw${this.id}${index}h`;
    const nsSide = `vsw${this.id}${index}n`;
    const addr = `${this.prefix}.${10 + index}`;
    await ip('netns', 'add', netns);
    this.namespaces.push(netns);
    await ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide);
    await ip('link', 'set', hostSide, 'master', this.bridge);
    await ip('link', 'set', hostSide, 'up');
    await ip('link', 'set', nsSide, 'netns', netns);
    await ip('-n', netns, 'addr', 'add', `${addr}/24`, 'dev', nsSide);
    await ip('-n', netns, 'link', 'set', nsSide, 'up');
    await ip('-n', netns, 'link', 'set', 'lo', 'up');
    return { netns, addr };
  }

  /** Deletes the namespaces (their veth ends go with them) and the bridge. */
  async remove(): Promise<void> {
    for (const netns of this.namespaces.splice(0))
      await ip('netns', 'del', netns).catch(() => undefined);
    await ip('link', 'del', this.bridge).catch(() => undefined);
  }
}
