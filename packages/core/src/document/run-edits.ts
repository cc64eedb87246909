import { Tag } from '../encoding/envelope.js';
import type { Value } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import { EditContext } from './edit-context.js';
import { NextEditWriter, readNextEdits, writeNextEdits } from './next-edit-codec.js';
import type { DocEdit } from './ops.js';
import { type ActorTable, decodeEdits, encodeEdits } from './payload.js';

/** The length of an insert's content: a string's UTF-16 units or a list's elements. */
export const contentLength = (content: unknown): number => (content as string | Value[]).length;

/**
 * The payloads of one run's changes, decoded in order: a continuation (Tag.docChangeNext)
 * refers back to the change before it in its run. Throws DecodeError on bad bytes.
 */
export function decodeRunEdits(
  run: { readonly actor: string; readonly changes: readonly { readonly payload: Uint8Array }[] },
  actors: ActorTable,
): DocEdit[][] {
  const changes = run.changes;
  // A run of one change (as most received ones are) needs no context for a next one.
  if (changes.length === 1 && !isContinuation(changes[0]!.payload))
    return [decodeEdits(changes[0]!.payload, actors)];
  const reader = new RunEditsReader(run.actor, actors);
  return changes.map((c) => reader.next(c.payload));
}

/** Decodes a run's payloads, keeping none: throws DecodeError if one is bad. */
export function checkRunEdits(
  run: { readonly actor: string; readonly changes: readonly { readonly payload: Uint8Array }[] },
  actors: ActorTable,
): void {
  const reader = new RunEditsReader(run.actor, actors);
  for (const c of run.changes) reader.next(c.payload);
}

/** Decodes a run's payloads one by one, in order. */
export class RunEditsReader {
  private readonly ctx: EditContext;

  constructor(
    author: string,
    private readonly actors: ActorTable,
  ) {
    this.ctx = new EditContext(author);
  }

  next(payload: Uint8Array): DocEdit[] {
    if (isContinuation(payload)) return readNextEdits(payload, this.ctx);
    const edits = decodeEdits(payload, this.actors);
    this.ctx.afterFull(edits, contentLength);
    return edits;
  }
}

/** Whether a payload is a continuation (Tag.docChangeNext) rather than a change in full. */
export function isContinuation(payload: Uint8Array): boolean {
  return payload.length >= 2 && payload[1] === Tag.docChangeNext;
}

/**
 * Encodes a run's changes, each in full or, where `next` says so, as a continuation (a change
 * whose only op edits the field the change before it edited; throws otherwise). For tests and
 * tools: a space encodes each change as it makes it (`database/in-place.ts`).
 */
export function encodeRunEdits(
  author: string,
  changes: readonly { readonly edits: readonly DocEdit[]; readonly next: boolean }[],
  actors: ActorTable,
  scratch: Writer,
): Uint8Array[] {
  const ctx = new EditContext(author);
  const writer = new NextEditWriter();
  return changes.map(({ edits, next }) => {
    if (!next) {
      const payload = encodeEdits(edits, actors);
      ctx.afterFull(edits, contentLength);
      return payload;
    }
    const op = edits.length === 1 && edits[0]!.ops.length === 1 ? edits[0]!.ops[0]! : undefined;
    if (
      op === undefined ||
      (op.kind !== 'editText' && op.kind !== 'editList') ||
      !ctx.matches(edits[0]!.collection, edits[0]!.id, op.path, op.target, op.kind)
    ) {
      throw new RangeError('a continuation must edit the field the change before it edited');
    }
    writeNextEdits(scratch, writer, ctx, op.edits);
    return scratch.finish();
  });
}
