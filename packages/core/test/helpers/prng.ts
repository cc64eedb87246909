/** The seeded PRNG (mulberry32) of the simulator, shared by every randomized test. */
import { Prng } from '../../src/sim/prng.js';

export { Prng };

/** The seed for a randomized test: WEFT_SEED if set, else a fresh one (printed on failure). */
export function testSeed(): number {
  const fromEnv = process.env.WEFT_SEED;
  return fromEnv ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
}

/** How many iterations: `normal` by default, `long` under `npm run test:long` (WEFT_LONG=1). */
export function iterations(normal: number, long: number): number {
  if (process.env.WEFT_RUNS) return Number(process.env.WEFT_RUNS);
  return process.env.WEFT_LONG ? long : normal;
}

/** Runs `body` with a seeded PRNG; a failure names the seed and the command that replays it. */
export function withSeed(
  file: string,
  testName: string,
  body: (rng: Prng) => void,
  seed = testSeed(),
): void {
  try {
    body(new Prng(seed));
  } catch (error) {
    const rerun = `WEFT_SEED=${seed} npx vitest run ${file} -t "${testName}"`;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n  seed: ${seed}\n  rerun: ${rerun}`, { cause: error });
  }
}

/** `withSeed` for async bodies. */
export async function withSeedAsync(
  file: string,
  testName: string,
  body: (rng: Prng) => Promise<void>,
  seed = testSeed(),
): Promise<void> {
  try {
    await body(new Prng(seed));
  } catch (error) {
    const rerun = `WEFT_SEED=${seed} npx vitest run ${file} -t "${testName}"`;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n  seed: ${seed}\n  rerun: ${rerun}`, { cause: error });
  }
}
