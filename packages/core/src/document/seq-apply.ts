import type { Value } from '../encoding/value.js';
import { InvalidOriginsError, MissingDependencyError } from '../text/errors.js';
import type { SeqCrdt } from '../text/seq-crdt.js';
import type { SeqEntry } from './node.js';
import type { SeqEdit } from './ops.js';

/**
 * Applies the edits of one change to a text or list field. An insert takes the writer's next
 * units in this sequence. An edit that names units this replica lacks can only come from a
 * faulty writer (an edit's origins are in its causal past, which every replica has before it):
 * it is skipped rather than left to stop the change half-applied.
 */
export function applySeqEdits(
  entry: SeqEntry,
  edits: readonly SeqEdit<string>[] | readonly SeqEdit<Value[]>[],
  writer: string,
): void {
  const crdt = entry.crdt as SeqCrdt<string | Value[]>;
  for (const edit of edits as readonly SeqEdit<string | Value[]>[]) {
    try {
      if (edit.kind === 'delete') {
        crdt.apply(edit);
        continue;
      }
      const seq = crdt.nextSeqs[crdt.actorNumber(writer)]!;
      const { left, right, content } = edit;
      crdt.apply({ kind: 'insert', id: { actor: writer, seq }, left, right, content });
    } catch (error) {
      if (!(error instanceof MissingDependencyError || error instanceof InvalidOriginsError))
        throw error;
    }
  }
}
