// One library's measurements, in a process of its own (started by run.ts with --expose-gc):
// `node child.js <library> <config JSON>`. Prints one JSON document on stdout.

import type { ConcurrentTrace, SequentialTrace } from '@weft/core';
import { automerge } from './automerge.js';
import { diamondTypes } from './diamond-types.js';
import { jsonJoy } from './json-joy.js';
import type { TextLibrary } from './library.js';
import { loro } from './loro.js';
import { loadTrace, spliceAll } from './traces.js';
import { weft } from './weft.js';
import { weftDb } from './weft-db.js';
import { yjs } from './yjs.js';

export const LIBRARIES: Record<string, TextLibrary<never>> = {
  weft: weft as TextLibrary<never>,
  'weft-db': weftDb as TextLibrary<never>,
  'json-joy': jsonJoy as TextLibrary<never>,
  'diamond-types': diamondTypes as TextLibrary<never>,
  yjs: yjs as TextLibrary<never>,
  loro: loro as TextLibrary<never>,
  automerge: automerge as TextLibrary<never>,
};

export interface ChildConfig {
  readonly reps: number;
  /** Transactions of automerge-paper to replay (all of them unless quick). */
  readonly txns: number;
}

export interface ChildResult {
  readonly key: string;
  readonly name: string;
  readonly version: string;
  /** Milliseconds per repetition. */
  readonly replay: number[];
  readonly merge: number[];
  readonly concurrent: number[];
  readonly load: number[];
  readonly encodedBytes: number;
  /** Bytes the replayed document holds: JS heap + external (wasm) memory, after a full GC. */
  readonly heapBytes: number;
}

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
}

const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

function log(message: string): void {
  process.stderr.write(`[bench:text]   ${message}\n`);
}

function check(what: string, got: string, expected: string): void {
  if (got !== expected) {
    throw new Error(`${what}: wrong text (${got.length} chars, expected ${expected.length})`);
  }
}

async function main(): Promise<void> {
  const [key, configJson] = process.argv.slice(2);
  const lib = LIBRARIES[key ?? ''];
  if (lib === undefined || configJson === undefined)
    throw new Error('usage: child.js <library> <config>');
  const config = JSON.parse(configJson) as ChildConfig;
  const paper = loadTrace<SequentialTrace>('automerge-paper');
  const friends = loadTrace<ConcurrentTrace>('friendsforever');
  const txns = paper.txns.slice(0, config.txns);
  const expected = config.txns >= paper.txns.length ? paper.endContent : spliceAll(txns);
  const half = txns.slice(0, txns.length >> 1);
  const halfText = spliceAll(half);
  const now = () => performance.now();
  const ms = (from: number) => Number((now() - from).toFixed(3));

  // 1. Replay, and the memory the first replayed document holds.
  const replay: number[] = [];
  let heapBytes = 0;
  let doc: unknown;
  for (let rep = 0; rep < config.reps; rep++) {
    if (doc !== undefined) lib.free?.(doc as never);
    doc = undefined;
    fullGc();
    const before = memory();
    const t = now();
    const replayed = await lib.replay(txns);
    replay.push(ms(t));
    doc = replayed;
    check('replay', lib.text(replayed), expected);
    if (rep === 0) {
      fullGc();
      heapBytes = memory() - before;
    }
    log(`replay ${rep + 1}/${config.reps}: ${replay[rep]!.toFixed(0)} ms`);
  }

  // 2. Encoded size with full history, and load time (load + read the text).
  const bytes = lib.encode(doc as never);
  // One load and one merge first, not recorded, so their code is compiled (as the replays
  // compile the editing code).
  lib.free?.((await lib.load(bytes)) as never);
  const load: number[] = [];
  for (let rep = 0; rep < config.reps; rep++) {
    fullGc();
    const t = now();
    const loaded = (await lib.load(bytes)) as never;
    const text = lib.text(loaded);
    load.push(ms(t));
    check('load', text, expected);
    lib.free?.(loaded);
  }
  log(`encoded ${bytes.length} B; load ${load.map((x) => x.toFixed(1)).join(', ')} ms`);
  lib.free?.(doc as never);
  doc = undefined;

  // 3. Two peers type the first half concurrently, then exchange.
  const fixture = await lib.mergeFixture(half);
  {
    const [a, b] = await fixture.fresh();
    await fixture.exchange(a, b);
    lib.free?.(a);
    lib.free?.(b);
  }
  const merge: number[] = [];
  for (let rep = 0; rep < config.reps; rep++) {
    const [a, b] = await fixture.fresh();
    fullGc();
    const t = now();
    const [ta, tb] = await fixture.exchange(a, b);
    merge.push(ms(t));
    check('merge (peer b)', tb, ta);
    if (ta.length !== 2 * halfText.length)
      throw new Error('merge: the merged text has the wrong length');
    lib.free?.(a);
    lib.free?.(b);
  }
  log(`merge ${merge.map((x) => x.toFixed(1)).join(', ')} ms`);

  // 4. The concurrent trace, with one replica per agent.
  const concurrent: number[] = [];
  for (let rep = 0; rep < config.reps; rep++) {
    fullGc();
    const t = now();
    const text = await lib.concurrent(friends);
    concurrent.push(ms(t));
    check('friendsforever', text, friends.endContent);
  }
  log(`friendsforever ${concurrent.map((x) => x.toFixed(1)).join(', ')} ms`);

  const result: ChildResult = {
    key: key!,
    name: lib.name,
    version: lib.version,
    replay,
    merge,
    concurrent,
    load,
    encodedBytes: bytes.length,
    heapBytes,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
