/**
 * What the agent bench reads with: a whole container log from the engine (demultiplexed, its
 * lines counted), through Berth's download route and its logs WebSocket, and a process's CPU
 * time from /proc.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { request, type Agent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import WebSocket from 'ws';

/** CPU time (user + system) a process has used so far, in ms; /proc counts in 1/100 s. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The dockerd serving a socket, found by its command line; null when it cannot be seen. */
export function dockerdPid(socketPath: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('dockerd') && cmd.includes(socketPath)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}

function countNewlines(chunk: Buffer, from = 0, to = chunk.length): number {
  let n = 0;
  for (let at = chunk.indexOf(10, from); at >= 0 && at < to; at = chunk.indexOf(10, at + 1)) n += 1;
  return n;
}

/**
 * Lines of an engine log stream (no TTY): frames of an 8-byte header (stream, 3 zero bytes,
 * big-endian length) and that many bytes; only payload newlines count.
 */
class FrameLineCounter {
  lines = 0;
  private header = Buffer.alloc(0);
  private left = 0;

  add(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.left > 0) {
        const end = Math.min(chunk.length, at + this.left);
        this.lines += countNewlines(chunk, at, end);
        this.left -= end - at;
        at = end;
        continue;
      }
      const need = 8 - this.header.length;
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + need)]);
      at += need;
      if (this.header.length === 8) {
        this.left = this.header.readUInt32BE(4);
        this.header = Buffer.alloc(0);
      }
    }
  }
}

/** Reads a container's whole log from the engine (follow=false); resolves to its line count. */
export function engineLogLines(socketPath: string, agent: Agent, id: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const counter = new FrameLineCounter();
    const req = request(
      { socketPath, agent, path: `/v1.41/containers/${id}/logs?stdout=1&stderr=1` },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`engine logs: ${res.statusCode ?? 0}`));
        res.on('data', (chunk: Buffer) => counter.add(chunk));
        res.on('end', () => resolve(counter.lines));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export interface BerthTarget {
  port: number;
  agent: HttpsAgent;
  token: string;
}

/** The whole log as Berth's download route streams it (text, a line each); its line count. */
export function downloadLogLines(berth: BerthTarget, host: string, id: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let lines = 0;
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: berth.port,
        agent: berth.agent,
        path: `/api/hosts/${host}/containers/${id}/logs/download?tail=all`,
        headers: { authorization: `Bearer ${berth.token}` },
      },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`download: ${res.statusCode ?? 0}`));
        res.on('data', (chunk: Buffer) => (lines += countNewlines(chunk)));
        res.on('end', () => resolve(lines));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Lines in one `lines` message, counted without parsing it. */
function linesIn(text: string): number {
  let n = 0;
  for (let at = text.indexOf('{"stream":'); at >= 0; at = text.indexOf('{"stream":', at + 10))
    n += 1;
  return n;
}

/**
 * The whole log through Berth's logs WebSocket (`tail=all`; the container has exited, so the
 * stream is its history and then the end): lines received and lines Berth said it dropped.
 */
export function streamLogLines(
  berth: BerthTarget,
  host: string,
  id: string,
): Promise<{ lines: number; dropped: number }> {
  return new Promise((resolve, reject) => {
    let lines = 0;
    let dropped = 0;
    const ws = new WebSocket(
      `wss://127.0.0.1:${berth.port}/api/hosts/${host}/containers/${id}/logs/stream?tail=all`,
      { headers: { authorization: `Bearer ${berth.token}` }, rejectUnauthorized: false },
    );
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (text.startsWith('{"type":"lines"')) {
        lines += linesIn(text);
        return;
      }
      const message = JSON.parse(text) as { type: string; count?: number; message?: string };
      if (message.type === 'dropped') dropped += message.count ?? 0;
      else if (message.type === 'error') reject(new Error(`logs stream: ${message.message ?? ''}`));
    });
    ws.on('error', reject);
    ws.on('close', () => resolve({ lines, dropped }));
  });
}
