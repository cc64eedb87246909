import { MAX_LOGICAL } from '../clocks/hlc.js';
import type { SpaceState } from '../document/space-state.js';
import { readSpaceState, writeSpaceState } from '../document/state-codec.js';
import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import type { RunSummary } from '../log/change-log.js';
import {
  readRunSummaries,
  type SummaryRows,
  summaryRows,
  writeRunSummaries,
} from '../log/summary-codec.js';

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

/**
 * Encodes a snapshot. Its summaries can be a log's rows (`ChangeLog.summaryRows`), written
 * without an object per run.
 */
export function encodeSnapshot(
  snapshot: Omit<Snapshot, 'summaries'> & { summaries: readonly RunSummary[] | SummaryRows },
): Uint8Array {
  const { summaries } = snapshot;
  return encodeEnvelope(Tag.snapshot, (w) => {
    w.varuint(snapshot.ordinal);
    writeRunSummaries(
      w,
      Array.isArray(summaries) ? summaryRows(summaries) : (summaries as SummaryRows),
    );
    writeSpaceState(w, snapshot.state);
  });
}

export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  return decodeEnvelope(bytes, Tag.snapshot, (r, version) => {
    const ordinal = r.varuint();
    const summaries = readRunSummaries(r);
    if (summaries.length !== ordinal) r.fail('snapshot ordinal does not match its runs');
    checkSummaries(r, summaries);
    return { ordinal, summaries, state: readSpaceState(r, version) };
  });
}

const MAX_WALL = 2 ** 52;

/**
 * The rules ChangeLog.restore relies on (it throws RangeError otherwise): each actor's runs
 * follow each other without gaps, hashes and deps are unique; and stamps a clock can go on from.
 */
function checkSummaries(r: Reader, summaries: readonly RunSummary[]): void {
  const ends = new Map<string, number>();
  const hashes = new Set<string>();
  for (const s of summaries) {
    // (seq + count - 1 could round to a safe integer: compare before adding.)
    if ((ends.get(s.actor) ?? 0) !== s.seq - 1 || s.count > Number.MAX_SAFE_INTEGER - (s.seq - 1))
      r.fail(`run summary ${s.actor}:${s.seq} does not follow the runs before it`);
    const end = s.seq - 1 + s.count;
    if (hashes.has(s.hash)) r.fail('duplicate run summary');
    if (s.deps.some((dep, i) => i > 0 && dep === s.deps[i - 1]))
      r.fail('duplicate run summary dep');
    if (s.lastLogical >= MAX_LOGICAL) r.fail('run summary logical counter out of range');
    // Opening moves the clock past every summary, and its next stamp may be a millisecond
    // later; a run's first stamp is written as a delta from 0 (under 2^52), so a clock moved
    // that far could not write at all.
    if (s.lastWall + 1 >= MAX_WALL) r.fail('run summary stamp out of range');
    ends.set(s.actor, end);
    hashes.add(s.hash);
  }
}

/** The latest stamp among a snapshot's runs (what a clock must have seen to go on from it). */
export function latestStamp(
  snapshot: Snapshot,
): { wall: number; logical: number; actor: string } | undefined {
  let latest: RunSummary | undefined;
  for (const s of snapshot.summaries) {
    if (
      !latest ||
      s.lastWall > latest.lastWall ||
      (s.lastWall === latest.lastWall && s.lastLogical > latest.lastLogical)
    )
      latest = s;
  }
  return latest && { wall: latest.lastWall, logical: latest.lastLogical, actor: latest.actor };
}
