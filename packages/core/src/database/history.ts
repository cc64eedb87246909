import { RunEditsReader } from '../document/run-edits.js';
import type { SpaceState } from '../document/space-state.js';
import { decodeRuns } from '../log/run.js';
import type { StorageEntry } from '../storage/adapter.js';

/** One change to a document, as `documentHistory` reports it. */
export interface HistoryEntry {
  readonly actor: string;
  readonly seq: number;
  /** Hash of the run that holds the change. */
  readonly run: string;
  readonly wall: number;
  readonly logical: number;
  /** What the change did: `insert`, `delete`, `set title`, `count votes`, `add tags`… */
  readonly ops: readonly string[];
}

/** The changes in a stored log that touched one document, oldest first. */
export function historyOf(
  log: readonly StorageEntry[],
  state: SpaceState,
  collection: string,
  id: string,
): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const entry of log) {
    for (const run of decodeRuns(entry.data)) {
      const reader = new RunEditsReader(run.actor, state);
      run.changes.forEach((change, i) => {
        for (const edit of reader.next(change.payload)) {
          if (edit.collection !== collection || edit.id !== id) continue;
          out.push({
            actor: run.actor,
            seq: run.seq + i,
            run: run.hash,
            wall: change.wall,
            logical: change.logical,
            ops: edit.ops.map((op) =>
              op.kind === 'insert' || op.kind === 'delete'
                ? op.kind
                : `${op.kind} ${op.path.join('.')}`,
            ),
          });
        }
      });
    }
  }
  return out;
}
