import { MAX_LOGICAL } from '../clocks/hlc.js';
import type { SpaceState } from '../document/space-state.js';
import { readSpaceState, writeSpaceState } from '../document/state-codec.js';
import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import type { RunSummary } from '../log/change-log.js';
import { readRunSummaries, writeRunSummaries } from '../log/summary-codec.js';

/**
 * A space at one point of its log: the joined state of its documents, and a summary of the
 * `ordinal` runs it covers (hashes, actors, seqs, deps), so the log can go on checking new
 * runs without their bodies in memory.
 */
export interface Snapshot {
  readonly ordinal: number;
  readonly summaries: readonly RunSummary[];
  readonly state: SpaceState;
}

export function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  return encodeEnvelope(Tag.snapshot, (w) => {
    w.varuint(snapshot.ordinal);
    writeRunSummaries(w, snapshot.summaries);
    writeSpaceState(w, snapshot.state);
  });
}

export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  return decodeEnvelope(bytes, Tag.snapshot, (r) => {
    const ordinal = r.varuint();
    const summaries = readRunSummaries(r);
    if (summaries.length !== ordinal) r.fail('snapshot ordinal does not match its runs');
    checkSummaries(r, summaries);
    return { ordinal, summaries, state: readSpaceState(r) };
  });
}

/**
 * The rules ChangeLog.restore relies on (it throws RangeError otherwise): each actor's runs
 * follow each other without gaps, hashes and deps are unique, stamps are HLC stamps.
 */
function checkSummaries(r: Reader, summaries: readonly RunSummary[]): void {
  const ends = new Map<string, number>();
  const hashes = new Set<string>();
  for (const s of summaries) {
    const end = s.seq + s.count - 1;
    if ((ends.get(s.actor) ?? 0) !== s.seq - 1 || !Number.isSafeInteger(end))
      r.fail(`run summary ${s.actor}:${s.seq} does not follow the runs before it`);
    if (hashes.has(s.hash)) r.fail('duplicate run summary');
    if (s.deps.some((dep, i) => i > 0 && dep === s.deps[i - 1]))
      r.fail('duplicate run summary dep');
    if (s.lastLogical >= MAX_LOGICAL) r.fail('run summary logical counter out of range');
    ends.set(s.actor, end);
    hashes.add(s.hash);
  }
}
