import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import { DecodeError } from '../errors.js';
import { ListCrdt } from '../text/list-crdt.js';
import { TextCrdt } from '../text/text-crdt.js';
import { dotActor, type PackedDot, type SeqEntry } from './node.js';

// The text and list fields of a document in a snapshot: per sequence its kind, the dot and
// stamp of the write that made it, and its full state in its own compact encoding (history of
// ids and origins included, deleted content not).

const TEXT = 0;
const LIST = 1;

export function writeSeqEntries(
  w: Writer,
  entries: readonly SeqEntry[],
  writeDot: (dot: PackedDot) => void,
): void {
  w.varuint(entries.length);
  for (const e of entries) {
    w.u8(e.kind === 'text' ? TEXT : LIST);
    writeDot(e.dot);
    w.varuint(e.wall);
    w.varuint(e.logical);
    w.bytes(e.crdt.encode());
  }
}

export function readSeqEntries(
  r: Reader,
  readDot: () => PackedDot,
  actorName: (index: number) => string,
): SeqEntry[] {
  const n = r.count(4);
  if (n === 0) r.fail('a text or list field with no sequence');
  const out: SeqEntry[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.u8();
    if (kind !== TEXT && kind !== LIST) r.fail('unknown sequence kind');
    const dot = readDot();
    const wall = r.varuint();
    const logical = r.varuint();
    const bytes = r.bytes();
    const actor = actorName(dotActor(dot));
    try {
      out.push(
        kind === TEXT
          ? { kind: 'text', dot, wall, logical, crdt: TextCrdt.decode(bytes, actor) }
          : { kind: 'list', dot, wall, logical, crdt: ListCrdt.decode(bytes, actor) },
      );
    } catch (error) {
      if (error instanceof DecodeError) r.fail(`a text or list field: ${error.message}`);
      throw error;
    }
  }
  return out;
}
