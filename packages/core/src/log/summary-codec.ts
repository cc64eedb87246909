import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import type { ActorId } from '../kernel/actor.js';
import { bytesToHex, HASH_BYTES, type Hash, writeHash } from './hash.js';

/** What the log keeps of a run whose body lives only in storage. */
export interface RunSummary {
  readonly hash: Hash;
  readonly actor: ActorId;
  readonly seq: number;
  readonly count: number;
  readonly deps: readonly Hash[];
  readonly lastWall: number;
  readonly lastLogical: number;
}

/**
 * A log's runs, in causal order, as a snapshot writes their summaries: a ChangeLog's RunTable
 * (read in place, without a summary object or hash string per run: a snapshot of a long log
 * writes thousands) or, for tests and tools, an array of summaries (`summaryRows`).
 */
export interface SummaryRows {
  readonly length: number;
  /** Writes row `row`'s hash, its 32 bytes. */
  writeHash(w: Writer, row: number): void;
  actor(row: number): ActorId;
  seq(row: number): number;
  count(row: number): number;
  lastWall(row: number): number;
  lastLogical(row: number): number;
  /** The rows of row `row`'s deps (all before it), in its run's order (sorted by hash). */
  depRows(row: number): ArrayLike<number>;
}

/**
 * Run summaries, compactly: deps are written as back-references to earlier runs (a varuint
 * distance), since a snapshot's summaries are in causal order and deps always point back.
 */
export function writeRunSummaries(w: Writer, rows: SummaryRows): void {
  w.varuint(rows.length);
  for (let i = 0; i < rows.length; i++) {
    rows.writeHash(w, i);
    w.actor(rows.actor(i));
    w.varuint(rows.seq(i));
    w.varuint(rows.count(i));
    w.varuint(rows.lastWall(i));
    w.varuint(rows.lastLogical(i));
    const deps = rows.depRows(i);
    w.varuint(deps.length);
    for (let k = 0; k < deps.length; k++) w.varuint(i - deps[k]!);
  }
}

/** Summaries as rows (each dep named by hash must be an earlier summary's). */
export function summaryRows(summaries: readonly RunSummary[]): SummaryRows {
  const row = new Map<Hash, number>();
  const depRows = summaries.map((s, i) => {
    const deps = s.deps.map((dep) => {
      const at = row.get(dep);
      if (at === undefined)
        throw new RangeError(`run summary ${s.actor}:${s.seq} names a dep before it`);
      return at;
    });
    row.set(s.hash, i);
    return deps;
  });
  return {
    length: summaries.length,
    writeHash: (w, i) => writeHash(w, summaries[i]!.hash),
    actor: (i) => summaries[i]!.actor,
    seq: (i) => summaries[i]!.seq,
    count: (i) => summaries[i]!.count,
    lastWall: (i) => summaries[i]!.lastWall,
    lastLogical: (i) => summaries[i]!.lastLogical,
    depRows: (i) => depRows[i]!,
  };
}

export function readRunSummaries(r: Reader): RunSummary[] {
  const n = r.count(HASH_BYTES + 6);
  const out: RunSummary[] = [];
  for (let i = 0; i < n; i++) {
    const hash = bytesToHex(r.raw(HASH_BYTES));
    const actor = r.actor();
    const seq = r.varuint();
    const count = r.varuint();
    if (seq === 0 || count === 0) r.fail('empty run summary');
    const lastWall = r.varuint();
    const lastLogical = r.varuint();
    const nDeps = r.count(1);
    const deps: string[] = [];
    for (let j = 0; j < nDeps; j++) {
      const back = r.varuint();
      const dep = out[i - back];
      if (back === 0 || !dep) r.fail('run summary dep out of range');
      deps.push(dep.hash);
    }
    out.push({ hash, actor, seq, count, deps: deps.sort(), lastWall, lastLogical });
  }
  return out;
}
