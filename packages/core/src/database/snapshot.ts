import type { SpaceState } from '../document/space-state.js';
import { readSpaceState, writeSpaceState } from '../document/state-codec.js';
import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
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
    return { ordinal, summaries, state: readSpaceState(r) };
  });
}
