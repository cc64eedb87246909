import { describe, expect, test } from 'vitest';
import { type SimulationReport, simulate } from '../../src/index.js';
import { iterations, withSeedAsync } from '../helpers/prng.js';

/** Seeds in the default run, over all files (100,000 under `npm run test:long`). */
export const RUNS = iterations(500, 100_000);
export const OPS = 200;

/** One seed; a failure names it and the command that replays it. */
export async function runSeed(file: string, seed: number): Promise<SimulationReport> {
  let report: SimulationReport | undefined;
  await withSeedAsync(
    file,
    'one seed',
    async () => {
      report = await simulate({ seed, ops: OPS });
    },
    seed,
  );
  return report!;
}

/**
 * Declares this file's share of the random seeds (`share` of `shares` files, which vitest runs
 * in parallel), split in parts so that vitest reports progress; with WEFT_SEED, that one seed.
 */
export function seedRuns(file: string, share: number, shares: number): void {
  describe('simulation: replicas on a faulty network converge and agree with the oracle', () => {
    if (process.env.WEFT_SEED) {
      test('one seed', async () => {
        const report = await runSeed(file, Number(process.env.WEFT_SEED));
        expect(report.ops).toBe(OPS);
      });
      return;
    }
    const runs = Math.ceil(RUNS / shares);
    const parts = Math.min(runs, process.env.WEFT_LONG ? 100 : 5);
    const base = Math.floor(Math.random() * 2 ** 31);
    for (let part = 0; part < parts; part++) {
      const from = base + Math.floor((part * runs) / parts);
      const to = base + Math.floor(((part + 1) * runs) / parts);
      test(`seeds ${from} to ${to - 1} (share ${share + 1} of ${shares})`, async () => {
        for (let seed = from; seed < to; seed++) await runSeed(file, seed);
      });
    }
  });
}
