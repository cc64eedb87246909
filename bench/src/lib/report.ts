import type { Stats } from './stats.js';

/** A target on the Weft median: a time ratio to the floor, or an absolute time. */
export interface Target {
  readonly text: string;
  readonly maxRatio?: number;
  readonly maxMs?: number;
}

export interface Result {
  readonly id: string;
  readonly title: string;
  /** 'total': the stats are the time of the whole workload; 'per-op': per operation. */
  readonly kind: 'total' | 'per-op';
  /** Milliseconds (per operation when kind is 'per-op'). */
  readonly weft: Stats;
  readonly floor: Stats;
  /** What the floor does. */
  readonly floorDoes: string;
  /** Weft median / floor median: a time ratio, lower is better. */
  readonly ratio: number;
  /** For write workloads: documents per second at the medians (higher is better). */
  readonly throughput?: {
    readonly weft: number;
    readonly floor: number;
    readonly weftPercentOfFloor: number;
  };
  readonly target?: Target;
  readonly met?: boolean;
  readonly notes: readonly string[];
}

export function makeResult(options: {
  id: string;
  title: string;
  kind: 'total' | 'per-op';
  weft: Stats;
  floor: Stats;
  floorDoes: string;
  docs?: number;
  target?: Target;
  notes?: string[];
}): Result {
  const { weft, floor, docs, target } = options;
  const ratio = weft.median / floor.median;
  let met: boolean | undefined;
  if (target?.maxRatio !== undefined) met = ratio <= target.maxRatio;
  if (target?.maxMs !== undefined) met = (met ?? true) && weft.median <= target.maxMs;
  return {
    id: options.id,
    title: options.title,
    kind: options.kind,
    weft,
    floor,
    floorDoes: options.floorDoes,
    ratio,
    ...(docs === undefined
      ? {}
      : {
          throughput: {
            weft: docs / (weft.median / 1000),
            floor: docs / (floor.median / 1000),
            weftPercentOfFloor: (100 * floor.median) / weft.median,
          },
        }),
    ...(target === undefined ? {} : { target }),
    ...(met === undefined ? {} : { met }),
    notes: options.notes ?? [],
  };
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 1) return `${ms.toFixed(ms >= 100 ? 0 : ms >= 10 ? 1 : 2)} ms`;
  const us = ms * 1000;
  if (us >= 1) return `${us.toFixed(us >= 100 ? 0 : us >= 10 ? 1 : 2)} µs`;
  return `${(us * 1000).toFixed(0)} ns`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k/s`;
  return `${perSecond.toFixed(0)}/s`;
}

/** A median with its range: `12.3 ms [11.0 ms … 15.1 ms]` (`suffix` after the median). */
export function formatStats(stats: Stats, suffix = ''): string {
  return `${formatMs(stats.median)}${suffix} [${formatMs(stats.min)} … ${formatMs(stats.max)}]`;
}

/** Whether a target is met, as the tables say it. */
export function formatMet(met: boolean): string {
  return met ? 'yes' : 'NO';
}

function cell(stats: Stats, kind: 'total' | 'per-op'): string {
  return formatStats(stats, kind === 'per-op' ? '/op' : '');
}

/** A plain-text table: one row per result, then its throughput and notes. */
export function renderTable(results: readonly Result[]): string {
  const header = [
    'benchmark',
    'Weft median [min … max]',
    'floor median [min … max]',
    'Weft/floor',
    'target',
    'met',
  ];
  const rows = results.map((r) => [
    r.title,
    cell(r.weft, r.kind),
    cell(r.floor, r.kind),
    `${r.ratio.toFixed(2)}x`,
    r.target?.text ?? '',
    r.met === undefined ? '' : formatMet(r.met),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w)))];
  results.forEach((r, i) => {
    out.push(line(rows[i]!));
    if (r.throughput) {
      const t = r.throughput;
      out.push(
        `    throughput: Weft ${formatRate(t.weft)} docs, floor ${formatRate(t.floor)} docs: Weft is ${t.weftPercentOfFloor.toFixed(0)}% of the floor (higher is better)`,
      );
    }
    out.push(`    floor: ${r.floorDoes}`);
    for (const note of r.notes) out.push(`    ${note}`);
  });
  return out.join('\n');
}

/** A plain-text table of strings: the header, a rule, then the rows, columns padded. */
export function renderGrid(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
