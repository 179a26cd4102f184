import type { ContainersApi } from '../../docker/containers-api.js';
import { demuxLines } from '../../docker/log-stream.js';

/** The last `tail` lines a container wrote (stdout and stderr), without following. */
export async function readLogLines(
  api: ContainersApi,
  id: string,
  tail: number,
): Promise<string[]> {
  const inspect = await api.find(id);
  if (!inspect) return [];
  const res = await api.logs(id, {
    follow: false,
    tail: String(tail),
    timestamps: false,
    stdout: true,
    stderr: true,
  });
  const lines: string[] = [];
  for await (const line of demuxLines(res, inspect.Config.Tty === true)) lines.push(line.text);
  return lines;
}
