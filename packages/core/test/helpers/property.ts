// A seeded property runner around fast-check. Every property is a vitest test; a failure
// reports the seed, the shrunk counterexample and the command that replays it.
//
//   WEFT_RUNS=n   runs per property (default 1000; 100000 with WEFT_LONG=1)
//   WEFT_SEED=n   the seed (default: one random seed per test file, chosen up front)
//   WEFT_PATH=p   replay only the shrunk counterexample at fast-check path p (with its seed)
import { relative } from 'node:path';
import fc from 'fast-check';
import { type TestContext, test } from 'vitest';

const env = process.env;

export const numRuns = env.WEFT_RUNS
  ? positiveInt('WEFT_RUNS', env.WEFT_RUNS)
  : env.WEFT_LONG === '1'
    ? 100_000
    : 1000;
export const seed = env.WEFT_SEED
  ? int('WEFT_SEED', env.WEFT_SEED)
  : Math.floor(Math.random() * 2 ** 31);

/** Declares the test `name`: `predicate` must hold (return true or nothing) for every input. */
export function checkProperty<Ts extends [unknown, ...unknown[]]>(
  name: string,
  ...args: [
    ...arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
    // biome-ignore lint/suspicious/noConfusingVoidType: fast-check's own predicate type
    predicate: (...args: Ts) => boolean | void,
  ]
): void {
  // Long runs get a budget in proportion (vitest's default would cut them short).
  const timeout = Math.max(120_000, numRuns * 20);
  test(name, (ctx) => run(ctx, fc.property(...args)), timeout);
}

function run<Ts>(ctx: TestContext, property: fc.IProperty<Ts>): void {
  const path = env.WEFT_PATH;
  const details = fc.check(property, {
    numRuns,
    seed,
    includeErrorInReport: true,
    ...(path ? { path } : {}),
  });
  if (!details.failed) return;
  const file = relative(process.cwd(), ctx.task.file.filepath);
  // vitest matches -t against the suite and test names joined by spaces.
  const fullName = (ctx.task.fullTestName ?? ctx.task.name).split(' > ').join(' ');
  const pattern = `${fullName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
  const runs = numRuns === 1000 ? '' : `WEFT_RUNS=${numRuns} `;
  const rerun = `WEFT_SEED=${seed} ${runs}npx vitest run ${file} -t ${shellQuote(pattern)}`;
  throw new Error(
    `Property "${fullName}" failed (seed ${seed}, path ${details.counterexamplePath}).\n` +
      `Rerun:       ${rerun}\n` +
      `Replay only: WEFT_PATH=${shellQuote(details.counterexamplePath ?? '')} ${rerun}\n\n` +
      fc.defaultReportMessage(details),
  );
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function int(variable: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`${variable} must be an integer, got "${text}"`);
  return n;
}

function positiveInt(variable: string, text: string): number {
  const n = int(variable, text);
  if (n < 1) throw new Error(`${variable} must be at least 1, got "${text}"`);
  return n;
}
