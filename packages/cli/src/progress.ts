import { formatBytes, formatCount } from './format.js';
import type { TextSink } from './output.js';

export interface ProgressOptions {
  /** What is happening: `reading`, `writing`. */
  readonly label: string;
  readonly total: number;
  /** What is counted: bytes are shown as sizes, anything else as a count of that unit. */
  readonly unit: 'bytes' | 'docs';
  readonly stream: TextSink;
  /** Draw at all (`--progress`, or stderr is a terminal). */
  readonly enabled: boolean;
  readonly now?: () => number;
  /** Least time between two drawings; default 100 ms on a terminal, 1 s otherwise. */
  readonly intervalMs?: number;
}

const WIDTH = 24;

/**
 * A progress bar on stderr: `writing [#########-------]  52%  10,400/20,000 docs  8,123 docs/s`.
 * On a terminal it redraws one line; elsewhere (a log file, a pipe) it prints a line per update,
 * at most once a second, so the output stays readable.
 */
export class ProgressBar {
  private readonly now: () => number;
  private readonly started: number;
  private readonly interval: number;
  private readonly tty: boolean;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private done = 0;
  private finished = false;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.tty = options.stream.isTTY === true;
    this.interval = options.intervalMs ?? (this.tty ? 100 : 1000);
  }

  /** Sets how much is done; redraws if enough time has passed since the last drawing. */
  update(done: number): void {
    this.done = done;
    if (!this.options.enabled || this.finished) return;
    const t = this.now();
    if (t - this.lastDraw < this.interval) return;
    this.lastDraw = t;
    this.draw(t);
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    if (!this.options.enabled || this.finished) return;
    this.done = this.options.total;
    this.draw(this.now());
    if (this.tty) this.options.stream.write('\n');
    this.finished = true;
  }

  /** The bar's text for `done` of the total, `elapsedMs` after the start. */
  render(done: number, elapsedMs: number): string {
    const { label, total, unit } = this.options;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
    const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
    const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    const amounts =
      unit === 'bytes'
        ? `${formatBytes(done)}/${formatBytes(total)}  ${formatBytes(Math.round(rate))}/s`
        : `${formatCount(done)}/${formatCount(total)} ${unit}  ${formatCount(Math.round(rate))} ${unit}/s`;
    return `${label} ${bar} ${percent}  ${amounts}`;
  }

  private draw(t: number): void {
    const line = this.render(this.done, t - this.started);
    this.options.stream.write(this.tty ? `\r${line}\u001b[K` : `${line}\n`);
  }
}
