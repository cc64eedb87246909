import type { VersionVector } from '../clocks/version-vector.js';
import { HistoryUnavailableError } from '../errors.js';
import type { ChangeLog } from '../log/change-log.js';
import { decodeRuns, type Run } from '../log/run.js';
import { ordinalKey, type StorageAdapter } from '../storage/adapter.js';
import { decodeSnapshot, type Snapshot } from './snapshot.js';
import { keys } from './storage-keys.js';

// What a space reads back from its stored log.

/**
 * The runs a replica with `vector` lacks, as `log.changesSince` gives them, but runs that live
 * in storage only (a space reopened from a snapshot) are read from the stored log: one range
 * read, from the first such run to the last. Throws HistoryUnavailableError if they are not
 * there (the space started from a snapshot).
 */
export async function storedRunsSince(
  storage: StorageAdapter,
  space: string,
  log: ChangeLog,
  vector: VersionVector,
): Promise<Run[]> {
  const wanted = log.changesSinceOrPositions(vector);
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  for (const item of wanted) {
    if (typeof item !== 'number') continue;
    first = Math.min(first, item);
    last = Math.max(last, item);
  }
  if (last < 0) return wanted as Run[];
  const entries = await storage.range(
    keys.log(space),
    keys.logEntry(space, first),
    keys.logEntry(space, last + 1),
  );
  const stored = new Map<number, Run>();
  for (const entry of entries) {
    const pos = Number.parseInt(entry.key[3]!, 36);
    const [run] = decodeRuns(entry.data);
    if (run && run.hash === log.hashAt(pos)) stored.set(pos, run);
  }
  return wanted.map((item) => {
    if (typeof item !== 'number') return item;
    const run = stored.get(item);
    if (run) return run;
    throw new HistoryUnavailableError(
      `space "${space}" started from a snapshot and does not hold change ${item} of its history; sync with a replica that has the full history (the server)`,
    );
  });
}

/**
 * What opening a space reads: its snapshot, if any, and the runs of the log written after it
 * (each entry's runs, with its size in bytes), checked to follow on without a gap.
 */
export async function readStoredSpace(
  storage: StorageAdapter,
  space: string,
): Promise<{ snapshot: Snapshot | undefined; tail: { runs: Run[]; bytes: number }[] }> {
  const saved = await storage.get(keys.snapshot(space));
  const snapshot = saved ? decodeSnapshot(saved) : undefined;
  const ordinal = snapshot?.ordinal ?? 0;
  const entries = await storage.range(keys.log(space), keys.logEntry(space, ordinal));
  const tail = entries.map((entry, i) => {
    if (entry.key[3] !== ordinalKey(ordinal + i))
      throw new Error(`space "${space}": the log in storage has a gap at ${ordinal + i}`);
    return { runs: decodeRuns(entry.data), bytes: entry.data.length };
  });
  return { snapshot, tail };
}
