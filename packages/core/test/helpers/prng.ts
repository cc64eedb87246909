/** A small seeded PRNG (mulberry32) for randomized tests that must replay from their seed. */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

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
