import type { HybridClock } from '../clocks/hlc.js';
import { applyOps } from '../document/apply.js';
import { EditContext } from '../document/edit-context.js';
import { NextEditWriter, writeNextEdits } from '../document/next-edit-codec.js';
import { type DocNode, docExists, fieldAt, type SeqEntry } from '../document/node.js';
import { createsDot, type DocOp } from '../document/ops.js';
import { encodeEdits } from '../document/payload.js';
import { type ActorNames, visibleSequence } from '../document/read.js';
import { contentLength } from '../document/run-edits.js';
import { writeText } from '../document/seq-edit-codec.js';
import type { SpaceState } from '../document/space-state.js';
import { Writer } from '../encoding/writer.js';
import type { ChangeLog } from '../log/change-log.js';
import { NONE } from '../text/item.js';
import type { SeqCrdt } from '../text/seq-crdt.js';
import { fieldPath } from './sequence-edit.js';

/** A text field's path and its visible sequence. */
interface TextAt {
  readonly segments: readonly string[];
  readonly entry: SeqEntry;
}

/** What in-place writes need from their space, besides its state and log. */
export interface InPlaceHost {
  readonly clock: HybridClock;
  readonly names: ActorNames;
  /** One document changed: refresh its view, tell listeners; resolves once durable. */
  wrote(collection: string, id: string): Promise<void>;
}

/**
 * Local changes of one operation on one document that creates no dots and can be applied in
 * place (text and list edits, outside transactions): no transaction, no copy of the document.
 * A change that edits the same field as the change before it in the log's open run is written
 * as a continuation (document/next-edit-codec.ts): a few bytes, not a whole payload. A text
 * splice that can be one takes the fast path (`spliceText`): applied to the sequence as the
 * author's next units, then encoded from where they went, with no op objects on the way.
 */
export class InPlaceWriter {
  /** What the log's open run ends with, as its readers will see it. */
  private readonly ctx: EditContext;
  private readonly next = new NextEditWriter();
  private readonly out = new Writer(256);
  /** Scratch: ranges a splice deleted (actor number, seq, length). */
  private readonly removed: number[] = new Array<number>(48).fill(0);
  /** The sequence last spliced, and the author's number in it (numbers never change). */
  private crdt: SeqCrdt<string> | undefined;
  private me = 0;

  constructor(
    private readonly host: InPlaceHost,
    private readonly actor: string,
    /** The space's state and log (fields, not getters: read per keystroke). */
    private state: SpaceState,
    private log: ChangeLog,
  ) {
    this.ctx = new EditContext(actor);
  }

  /**
   * The state changed by other means (a transaction, runs received): the next change starts
   * in full, and nothing looked up before is reused.
   */
  cleared(): void {
    this.ctx.clear();
    this.last = undefined;
  }

  /** The space started over from a snapshot: a new state and log. */
  replaced(state: SpaceState, log: ChangeLog): void {
    this.state = state;
    this.log = log;
    this.cleared();
    this.crdt = undefined;
  }

  /**
   * The text field the last fast splice edited, looked up again only when another field is
   * spliced or the state changed by other means (`cleared`): the lookups (path, collection,
   * document, field, the visible sequence) cost more than a keystroke's encoding.
   */
  private last: { collection: string; id: string; path: string; at: TextAt } | undefined;

  /** The author's number in `crdt` (asked of the sequence once: numbers never change). */
  private authorIn(crdt: SeqCrdt<string>): number {
    if (crdt !== this.crdt) {
      this.crdt = crdt;
      this.me = crdt.actorNumber(this.actor);
    }
    return this.me;
  }

  private textAt(collection: string, id: string, path: string): TextAt | undefined {
    const last = this.last;
    if (
      last !== undefined &&
      last.id === id &&
      last.path === path &&
      last.collection === collection
    )
      return last.at;
    const node = this.state.doc(collection, id);
    if (node === undefined || node.packed !== undefined || !docExists(node)) return undefined;
    const segments = fieldPath(path);
    const field = fieldAt(node.root, segments);
    const entry = field && visibleSequence(field, this.host.names);
    if (entry === undefined || entry.kind !== 'text') return undefined;
    const at = { segments, entry };
    this.last = { collection, id, path, at };
    return at;
  }

  /**
   * Writes the operation `plan` returns for the document's node (undefined: nothing), or throws
   * and nothing changes. The operation is encoded before it is applied, so a refused value
   * changes nothing either.
   */
  write(
    collection: string,
    id: string,
    plan: (node: DocNode | undefined) => DocOp | undefined,
  ): Promise<void> {
    const { state, log } = this;
    const clock = this.host.clock;
    const node = state.doc(collection, id);
    const op = plan(node);
    if (op === undefined || node === undefined) return Promise.resolve();
    if (createsDot(op)) throw new Error('Weft internal error: writeInPlace of an op with a dot');
    this.last = undefined;
    const ops = [op];
    const ctx = this.ctx;
    const next =
      (op.kind === 'editText' || op.kind === 'editList') &&
      log.continuesRun() &&
      ctx.matches(collection, id, op.path, op.target, op.kind);
    let payload: Uint8Array | undefined;
    if (next) {
      try {
        writeNextEdits(this.out, this.next, ctx, op.edits);
      } catch (error) {
        ctx.clear(); // half-noted: start the next change afresh
        throw error;
      }
    } else payload = encodeEdits([{ collection, id, ops }], state);
    clock.advance();
    const wall = clock.lastWall;
    const logical = clock.lastLogical;
    applyOps(node, ops, { actorId: this.actor, wall, logical, nextDot: noDots });
    if (payload) {
      log.append({ wall, logical }, payload);
      ctx.afterFull([{ collection, id, ops }], contentLength);
    } else log.appendWritten(wall, logical, this.out);
    return this.host.wrote(collection, id);
  }

  /**
   * Splices a text field outside a transaction when the change can be a continuation (the
   * log's open run ends with an edit of this field) and does something; otherwise returns
   * undefined, changing nothing, and the caller takes the general path (which also reports
   * errors the same way every time). Throws InvalidPositionError, changing nothing, for a
   * position out of range or inside a surrogate pair.
   */
  spliceText(
    collection: string,
    id: string,
    path: string,
    index: number,
    deleteCount: number,
    text: string,
  ): Promise<void> | undefined {
    const { log } = this;
    const ctx = this.ctx;
    if (
      typeof text !== 'string' ||
      (deleteCount === 0 && text.length === 0) ||
      ctx.collection === undefined ||
      !log.continuesRun()
    ) {
      return undefined;
    }
    const at = this.textAt(collection, id, path);
    if (
      at === undefined ||
      !ctx.matches(collection, id, at.segments, at.entry.dot, 'editText') ||
      !wellFormed(text)
    ) {
      return undefined;
    }
    const crdt = at.entry.crdt as SeqCrdt<string>;
    const removed = this.removed;
    // The delete checks its range (and that the insert after it splits no pair) before
    // changing anything; the insert then cannot fail. As planned on the sequence before the
    // delete, the insert's right origin is the first deleted unit (a tombstone now).
    const n = deleteCount === 0 ? 0 : crdt.deleteAt(index, deleteCount, removed);
    const inserted = text.length > 0 && crdt.insertBy(this.authorIn(crdt), index, text);
    const w = this.next;
    w.begin(ctx, (n > 0 ? 1 : 0) + (inserted ? 1 : 0), this.out);
    if (n > 0) {
      w.deleteStart(n / 3);
      for (let i = 0; i < n; i += 3)
        w.deleteRange(crdt.actorIds[removed[i]!]!, removed[i + 1]!, removed[i + 2]!);
    }
    if (inserted) {
      const p = crdt.placed;
      const ids = crdt.actorIds;
      const left = p.leftActor === NONE ? null : ids[p.leftActor]!;
      const right = p.rightActor === NONE ? null : ids[p.rightActor]!;
      w.insert(left, p.leftSeq, right, p.rightSeq, text, text.length, writeText);
    }
    w.finish();
    const clock = this.host.clock;
    clock.advance();
    log.appendWritten(clock.lastWall, clock.lastLogical, this.out);
    return this.host.wrote(collection, id);
  }
}

/** `isWellFormed`, answered without a call for one character (most keystrokes). */
function wellFormed(text: string): boolean {
  if (text.length !== 1) return text.isWellFormed();
  const c = text.charCodeAt(0);
  return c < 0xd800 || c > 0xdfff;
}

function noDots(): never {
  throw new Error('Weft internal error: an in-place write took a dot');
}
