import type { LogAnalysis, LogLevel, LogLineView } from '@berth/contract';
import { detectLevel, normaliseLine } from './log-levels.js';

/** Longer lines are analysed by their start (patterns, levels, shapes). */
const MAX_LINE_CHARS = 4096;
/** Distinct line shapes tracked; past this only the shapes already seen are counted. */
const MAX_SHAPES = 10_000;

type Counts = LogAnalysis['levels'];
type Summary = Pick<
  LogAnalysis,
  | 'lines'
  | 'firstLineAt'
  | 'lastLineAt'
  | 'levels'
  | 'patterns'
  | 'topLines'
  | 'firstErrorAfterStart'
>;

interface Shape {
  count: number;
  level: LogLevel | null;
  example: string;
}

/**
 * Counts a window of log lines, newest last: by level, by pattern, by shape, and the first
 * error since the container started. `add(line, { earliest: true })` takes a line that came
 * before every line added so far (the service reads one line ahead to know the window's size).
 */
export class LogAnalyser {
  private lines = 0;
  private firstLineAt: string | null = null;
  private lastLineAt: string | null = null;
  private readonly levels: Counts = { error: 0, warn: 0, info: 0, debug: 0, other: 0 };
  private readonly patterns: {
    pattern: string;
    regex: RegExp;
    count: number;
    firstAt: string | null;
  }[];
  private readonly shapes = new Map<string, Shape>();
  private firstError: LogAnalysis['firstErrorAfterStart'] = null;

  constructor(
    patterns: readonly string[],
    /** Where the container's last run begins in its log (epoch ms); null: every line. */
    private readonly runStart: number | null,
  ) {
    this.patterns = patterns.map((pattern) => ({
      pattern,
      regex: new RegExp(pattern, 'u'),
      count: 0,
      firstAt: null,
    }));
  }

  add(line: LogLineView, options: { earliest?: boolean } = {}): void {
    const earliest = options.earliest === true;
    const text = line.text.length > MAX_LINE_CHARS ? line.text.slice(0, MAX_LINE_CHARS) : line.text;
    const at = line.timestamp;
    this.lines += 1;
    if (earliest || this.firstLineAt === null) this.firstLineAt = at;
    if (!earliest || this.lastLineAt === null) this.lastLineAt = at;
    const level = detectLevel(text);
    this.levels[level ?? 'other'] += 1;
    for (const p of this.patterns) {
      if (!p.regex.test(text)) continue;
      p.count += 1;
      if (earliest || p.firstAt === null) p.firstAt = at;
    }
    this.countShape(text, level);
    if (level === 'error' && this.sinceStart(at) && (earliest || this.firstError === null)) {
      this.firstError = { at, stream: line.stream, text };
    }
  }

  summary(top: number): Summary {
    const topLines = Array.from(this.shapes, ([text, shape]) => ({ text, ...shape }))
      .filter((shape) => shape.count > 1)
      .sort((a, b) => b.count - a.count)
      .slice(0, top);
    return {
      lines: this.lines,
      firstLineAt: this.firstLineAt,
      lastLineAt: this.lastLineAt,
      levels: { ...this.levels },
      patterns: this.patterns.map(({ pattern, count, firstAt }) => ({ pattern, count, firstAt })),
      topLines,
      firstErrorAfterStart: this.firstError,
    };
  }

  private countShape(text: string, level: LogLevel | null): void {
    const key = normaliseLine(text).slice(0, 500);
    if (key === '') return;
    const shape = this.shapes.get(key);
    if (shape) {
      shape.count += 1;
      shape.example = text;
    } else if (this.shapes.size < MAX_SHAPES) {
      this.shapes.set(key, { count: 1, level, example: text });
    }
  }

  private sinceStart(at: string | null): boolean {
    if (this.runStart === null) return true;
    return at !== null && Date.parse(at) > this.runStart;
  }
}
