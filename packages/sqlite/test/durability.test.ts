// Durability under SIGKILL, for real: a writer process (fixtures/crash-writer.mjs, on the built
// packages) commits transactions to a SQLite data directory as fast as it can and prints an
// `ack` once each one's promise resolves; we kill it at a random moment, reopen the directory
// here and check that
//   - it opens without error;
//   - every acknowledged transaction is there;
//   - the database holds exactly the transactions 1..M, whole, for some M: replaying what the
//     writer announced (its `tx` lines) for 1..M gives every document, field for field. A
//     transaction half there, or one that landed without the one before it, does not match
//     (unless later ones overwrote everything it did).
// The same directory is reused across kills, so it grows a long log, snapshots (the writer
// snapshots every 20 kB of log) and tombstones, and each writer starts by recovering what the
// last one left. Kills land anywhere: during startup and recovery, mid-transaction, mid-batch,
// mid-snapshot (the writer reports its storage batches, and the summary counts where kills
// landed).
//
// A SIGKILL loses the process, not the OS page cache, so this catches acknowledging before the
// write, torn or partial batches and recovery bugs; not a missing fsync (that needs power loss).
//
// 200 kills (3 writers in parallel, each on its own directory: a writer mostly waits for its
// start and its fsyncs); 2,000 with WEFT_LONG=1. WEFT_KILLS=n and WEFT_WORKERS=n to choose.
// Seeded by WEFT_SEED (the kill delays and the writers' choices; the OS decides the rest).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { expect, test } from 'vitest';
import { openSqliteDatabase } from '../src/index.js';

const FILE = 'packages/sqlite/test/durability.test.ts';
const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url));
const SEED = process.env.WEFT_SEED
  ? Number(process.env.WEFT_SEED)
  : Math.floor(Math.random() * 2 ** 31);
const KILLS = process.env.WEFT_KILLS
  ? Number(process.env.WEFT_KILLS)
  : process.env.WEFT_LONG
    ? 2000
    : 200;
const WORKERS = Number(process.env.WEFT_WORKERS ?? 3);
/** A writer that has not acknowledged anything by then is stuck. */
const FIRST_ACK_TIMEOUT_MS = 20_000;

/** The writer makes no TLS connections: loading extra CA certificates would slow every start. */
const WRITER_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'),
);

/** What a writer announces before writing transaction `t` (see crash-writer.mjs). */
interface TxPlan {
  readonly t: number;
  readonly n: number;
  /** Payload length of each new document `${t}-${k}`. */
  readonly news: readonly number[];
  /** Documents updated: id and new payload length. */
  readonly updates: readonly (readonly [string, number])[];
  readonly deletes: readonly string[];
}

type DocFields = Record<string, unknown>;

/** As crash-writer.mjs. */
const payload = (t: number, len: number) => String.fromCharCode(97 + (t % 26)).repeat(len);

/** What one writer process did before it died. */
interface Incarnation {
  start: number | undefined;
  plans: TxPlan[];
  acked: number[];
  /** Storage batches the writer began, and how many of them wrote the snapshot. */
  batches: number;
  snapshots: number;
  /** Where the kill landed: 'batch' or 'snapshot' (inside a storage batch), else 'between'. */
  landed: 'between' | 'batch' | 'snapshot';
  exit: { code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
}

/** Runs the writer until a kill `delay` ms after its first ack (or after its start). */
function runWriter(dir: string, seed: number, delay: number, fromStart: boolean) {
  return new Promise<Incarnation>((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [WRITER, dir, String(seed)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: WRITER_ENV,
    });
    const result: Incarnation = {
      start: undefined,
      plans: [],
      acked: [],
      batches: 0,
      snapshots: 0,
      landed: 'between',
      exit: { code: null, signal: null },
      stderr: '',
    };
    let inBatch: 'between' | 'batch' | 'snapshot' = 'between';
    let pending = '';
    let killTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      killTimer = undefined;
      child.kill('SIGKILL');
    };
    const stuck = setTimeout(() => {
      result.stderr += `\n[test] no ack after ${FIRST_ACK_TIMEOUT_MS} ms: killed`;
      kill();
    }, FIRST_ACK_TIMEOUT_MS);
    if (fromStart) killTimer = setTimeout(kill, delay);
    const onLine = (line: string) => {
      const [word, ...rest] = line.split(' ');
      switch (word) {
        case 'start':
          result.start = Number(rest[0]);
          break;
        case 'tx':
          result.plans.push(JSON.parse(rest.join(' ')) as TxPlan);
          break;
        case 'ack':
          result.acked.push(Number(rest[0]));
          if (result.acked.length === 1) {
            clearTimeout(stuck);
            if (!fromStart) killTimer = setTimeout(kill, delay);
          }
          break;
        case 'batch':
          result.batches++;
          inBatch = rest[1] === '1' ? 'snapshot' : 'batch';
          if (inBatch === 'snapshot') result.snapshots++;
          break;
        case 'done':
          inBatch = 'between';
          break;
        default:
          throw new Error(`unexpected line from the writer: ${line}`);
      }
    };
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      try {
        lines.forEach(onLine);
      } catch (error) {
        child.kill('SIGKILL');
        reject(error);
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      result.stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(stuck);
      if (killTimer) clearTimeout(killTimer);
      if (pending) result.stderr += `\n[test] unterminated stdout line: ${pending}`;
      result.exit = { code, signal };
      result.landed = inBatch;
      resolve(result);
    });
  });
}

/** The documents of the crashed writer's space, as this process reads them after reopening. */
async function readBack(dir: string): Promise<Map<string, DocFields>> {
  // As the writer: a kill before the writer stored its replica id must not make it someone else's.
  const db = await openSqliteDatabase({ dataDir: dir, actor: 'writer' });
  try {
    const space = await db.space('crash');
    const docs = space.collection('docs').find();
    return new Map(docs.map(({ id, ...fields }) => [id, fields]));
  } finally {
    await db.close();
  }
}

/** What the database must hold: the plans of transactions 1..applied, replayed. */
class Model {
  readonly docs = new Map<string, DocFields>();
  applied = 0;
  /** Plans announced but not (yet) seen in the database, by transaction number. */
  readonly plans = new Map<number, TxPlan>();

  apply(plan: TxPlan): void {
    plan.news.forEach((len, k) => {
      this.docs.set(`${plan.t}-${k}`, { tx: plan.t, k, of: plan.n, payload: payload(plan.t, len) });
    });
    for (const [id, len] of plan.updates) {
      const doc = this.docs.get(id);
      if (!doc) throw new Error(`transaction ${plan.t} updates ${id}, which does not exist`);
      this.docs.set(id, { ...doc, upd: plan.t, payload: payload(plan.t, len) });
    }
    for (const id of plan.deletes) {
      if (!this.docs.delete(id))
        throw new Error(`transaction ${plan.t} deletes ${id}, which does not exist`);
    }
    this.applied = plan.t;
  }
}

const describeDoc = (doc: DocFields | undefined) =>
  doc === undefined
    ? 'absent'
    : JSON.stringify(doc, (k, v) =>
        k === 'payload' ? `${(v as string)[0] ?? ''}×${(v as string).length}` : v,
      );

/** Checks one kill; returns a description of what is wrong, or undefined. */
async function checkAfterKill(
  model: Model,
  run: Incarnation,
  dir: string,
): Promise<string | undefined> {
  const problems: string[] = [];
  if (run.exit.signal !== 'SIGKILL') {
    return `the writer exited by itself (code ${run.exit.code}, signal ${run.exit.signal}):\n${run.stderr}`;
  }
  if (run.stderr.trim()) problems.push(`the writer wrote to stderr:\n${run.stderr}`);
  if (run.start !== undefined && run.start !== model.applied + 1) {
    problems.push(
      `the writer started at transaction ${run.start}, but the database held 1..${model.applied}`,
    );
  }
  for (const plan of run.plans) model.plans.set(plan.t, plan);

  let actual: Map<string, DocFields>;
  try {
    actual = await readBack(dir);
  } catch (error) {
    return `the database does not open: ${error instanceof Error ? error.stack : String(error)}`;
  }
  // The last transaction that landed: nothing after it can have deleted its documents.
  let last = 0;
  for (const doc of actual.values()) last = Math.max(last, Number(doc.tx));
  const maxAcked = Math.max(0, ...run.acked);
  if (last < maxAcked) {
    problems.push(
      `transaction ${maxAcked} was acknowledged, but the newest in the database is ${last}`,
    );
  }
  if (last < model.applied) {
    problems.push(`the database held transactions up to ${model.applied}, now only ${last}`);
  }
  for (let t = model.applied + 1; t <= last; t++) {
    const plan = model.plans.get(t);
    if (!plan) {
      problems.push(`transaction ${t} is in the database, but no writer announced it`);
      break;
    }
    try {
      model.apply(plan);
    } catch (error) {
      problems.push(String(error));
      break;
    }
  }
  for (const t of [...model.plans.keys()])
    if (t <= model.applied || t > last) model.plans.delete(t);

  const wrong: string[] = [];
  for (const id of new Set([...model.docs.keys(), ...actual.keys()])) {
    const want = model.docs.get(id);
    const got = actual.get(id);
    if (!isDeepStrictEqual(want, got))
      wrong.push(`  ${id}: expected ${describeDoc(want)}, found ${describeDoc(got)}`);
  }
  if (wrong.length > 0) {
    problems.push(
      `the database is not transactions 1..${last} replayed (${wrong.length} documents differ):\n` +
        wrong.slice(0, 12).join('\n'),
    );
  }
  // Go on from what the database holds (the next writer does), so one failure is reported once.
  model.docs.clear();
  for (const [id, doc] of actual) model.docs.set(id, doc);
  model.applied = last;
  return problems.length > 0
    ? `${problems.join('\n')}\n(acknowledged in this run: ${run.acked.length ? `${run.acked[0]}..${maxAcked}` : 'none'}; kill landed ${run.landed})`
    : undefined;
}

interface Stats {
  kills: number;
  acks: number;
  batches: number;
  snapshots: number;
  landed: Record<Incarnation['landed'], number>;
}

/** One writer's directory: `kills` kills in a row. Returns the failures. */
async function worker(index: number, kills: number, stats: Stats): Promise<string[]> {
  const rng = mulberry32(SEED + index * 7919);
  const dir = mkdtempSync(join(tmpdir(), `weft-durability-${index}-`));
  const model = new Model();
  const failures: string[] = [];
  for (let i = 0; i < kills && failures.length === 0; i++) {
    // Mostly 20-300 ms after the first ack; sometimes from the start, to hit recovery.
    const fromStart = rng() < 0.1;
    const delay = fromStart ? Math.floor(rng() * 400) : 20 + Math.floor(rng() * 281);
    let problem: string | undefined;
    try {
      const run = await runWriter(dir, Math.floor(rng() * 2 ** 31), delay, fromStart);
      stats.kills++;
      stats.acks += run.acked.length;
      stats.batches += run.batches;
      stats.snapshots += run.snapshots;
      stats.landed[run.landed]++;
      problem = await checkAfterKill(model, run, dir);
    } catch (error) {
      problem = error instanceof Error ? (error.stack ?? error.message) : String(error);
    }
    if (problem) failures.push(`writer ${index}, kill ${i + 1} (data dir ${dir}):\n${problem}`);
  }
  if (failures.length === 0) rmSync(dir, { recursive: true, force: true });
  return failures;
}

test(
  `acknowledged transactions survive SIGKILL, and no transaction is ever half there (${KILLS} kills)`,
  async () => {
    const started = performance.now();
    const stats: Stats = {
      kills: 0,
      acks: 0,
      batches: 0,
      snapshots: 0,
      landed: { between: 0, batch: 0, snapshot: 0 },
    };
    const share = (i: number) => Math.floor(KILLS / WORKERS) + (i < KILLS % WORKERS ? 1 : 0);
    const failures = (
      await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i, share(i), stats)))
    ).flat();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary =
      `${stats.kills} kills in ${seconds} s; ${stats.acks} transactions acknowledged, ` +
      `${stats.batches} storage batches, ${stats.snapshots} with a snapshot; kills landed ` +
      `inside a batch ${stats.landed.batch} times, inside a snapshot batch ${stats.landed.snapshot}`;
    if (failures.length > 0) {
      throw new Error(
        `${failures.join('\n\n')}\n\n${summary}\n  seed: ${SEED}\n` +
          `  rerun: WEFT_SEED=${SEED} npx vitest run ${FILE}\n` +
          '  (kill timing depends on the OS too: a rerun replays the delays and the writes, not the exact moments)',
      );
    }
    console.log(`durability: ${summary} (seed ${SEED})`);
    expect(stats.kills).toBe(KILLS);
    expect(stats.snapshots).toBeGreaterThan(0);
  },
  process.env.WEFT_LONG || process.env.WEFT_KILLS ? 3_600_000 : 300_000,
);

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
