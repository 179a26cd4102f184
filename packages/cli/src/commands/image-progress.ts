import { describeSize, type StreamProgress } from '@berth/contract';
import { io } from '../core/io.js';

interface Layer {
  status: string;
  current: number | null;
  total: number | null;
}

const BAR = 24;

function bar(layer: Layer): string {
  if (layer.current === null || !layer.total) return '';
  const filled = Math.min(BAR, Math.round((layer.current / layer.total) * BAR));
  return ` [${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR - filled)}] ${describeSize(layer.current)}/${describeSize(layer.total)}`;
}

/**
 * A pull's or push's progress, as `docker pull` shows it: on a terminal one line per layer
 * with its bar, redrawn in place; piped, a plain line each time a layer's status changes
 * (never a line per byte count). Written to stderr, so stdout stays the result.
 */
export class TransferProgress {
  private readonly layers = new Map<string, Layer>();
  private drawn = 0;

  constructor(
    private readonly write: (text: string) => void = (t) => process.stderr.write(t),
    private readonly tty = process.stderr.isTTY === true,
  ) {}

  update(p: StreamProgress): void {
    if (p.layer === null) {
      this.clear();
      this.write(`${p.status}\n`);
      this.redraw();
      return;
    }
    const before = this.layers.get(p.layer);
    const layer = { status: p.status, current: p.current, total: p.total };
    this.layers.set(p.layer, layer);
    if (this.tty) {
      this.clear();
      this.redraw();
    } else if (before?.status !== p.status) this.write(`${p.layer}: ${p.status}\n`);
  }

  private clear(): void {
    if (!this.tty || this.drawn === 0) return;
    // Up to the first bar line, and erase from there down.
    this.write(`\u001b[${this.drawn}F\u001b[J`);
    this.drawn = 0;
  }

  private redraw(): void {
    if (!this.tty) return;
    const width = Math.max(20, io.columns - 1);
    for (const [id, layer] of this.layers)
      this.write(`${`${id}: ${layer.status}${bar(layer)}`.slice(0, width)}\n`);
    this.drawn = this.layers.size;
  }
}
