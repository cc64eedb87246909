/** Summary of repeated measurements (milliseconds unless a result says otherwise). */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max - min) / median: how noisy the repetitions were. */
  readonly spread: number;
  readonly samples: readonly number[];
}

export function summarize(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  return { median, min, max, spread: median === 0 ? 0 : (max - min) / median, samples };
}

/** The median of some samples (`summarize(samples).median`). */
export function median(samples: readonly number[]): number {
  return summarize(samples).median;
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export function now(): number {
  return performance.now();
}

/** The p-th percentile (0 < p <= 100) by nearest rank: a value that was measured. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples for a percentile');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
