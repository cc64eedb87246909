import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import { bytesToHex, HASH_BYTES, writeHash } from './hash.js';
import type { RunSummary } from './run-table.js';

/**
 * Run summaries, compactly: deps are written as back-references to earlier runs (a varuint
 * distance), since a snapshot's summaries are in causal order and deps always point back.
 */
export function writeRunSummaries(w: Writer, summaries: readonly RunSummary[]): void {
  const position = new Map<string, number>();
  w.varuint(summaries.length);
  summaries.forEach((s, i) => {
    writeHash(w, s.hash);
    w.actor(s.actor);
    w.varuint(s.seq);
    w.varuint(s.count);
    w.varuint(s.lastWall);
    w.varuint(s.lastLogical);
    w.varuint(s.deps.length);
    for (const dep of s.deps) w.varuint(i - position.get(dep)!);
    position.set(s.hash, i);
  });
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
