// What a session sends of its runs: `changes` messages of bounded size, and their frames,
// encoded once for every peer a relay sends the same runs to.
import { type Run, runSize } from '../log/run.js';
import { encodeFrames } from './parts.js';

/**
 * The frames of a `changes` message. A server relays each new run to every client of the
 * space: a small batch is encoded once and the bytes shared (transports copy or only read).
 */
export function changesFrames(runs: readonly Run[], maxFrame: number): Uint8Array[] {
  if (runs.length > SHARED_BATCH_RUNS) return encodeFrames({ kind: 'changes', runs }, maxFrame);
  let key = String(maxFrame);
  for (const run of runs) key += run.hash;
  let frames = sharedFrames.get(key);
  if (!frames) {
    frames = encodeFrames({ kind: 'changes', runs }, maxFrame);
    if (sharedFrames.size >= SHARED_FRAMES) sharedFrames.delete(sharedFrames.keys().next().value!);
    sharedFrames.set(key, frames);
  }
  return frames;
}

const SHARED_BATCH_RUNS = 64;
const SHARED_FRAMES = 64;
/** Recently encoded small batches, by their runs' hashes (content addresses), oldest first. */
const sharedFrames = new Map<string, Uint8Array[]>();

/** Splits runs into `changes` batches by count and (estimated) encoded size. */
export function* batches(
  runs: readonly Run[],
  maxRuns = 256,
  maxBytes = 256 * 1024,
): Iterable<Run[]> {
  let batch: Run[] = [];
  let bytes = 0;
  for (const run of runs) {
    batch.push(run);
    bytes += runSize(run);
    if (batch.length >= maxRuns || bytes >= maxBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield batch;
}
