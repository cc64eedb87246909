import type { Reader } from '../encoding/reader.js';
import type { Value } from '../encoding/value.js';
import { readValue, writeValue } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import { DecodeError } from '../errors.js';
import { lzCompress, lzDecompress, MAX_RATIO } from './lz.js';

/** How the visible content of a sequence is written in one block, and read back. @internal */
export interface ContentCodec<C> {
  /** Writes the contents (in document order) as one block. */
  write(w: Writer, contents: readonly C[]): void;
  /** Reads the block back, cut into contents of the given lengths. */
  read(r: Reader, lengths: readonly number[]): C[];
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Text: all of it as one UTF-8 string, LZ-compressed when `compress` and that helps: a byte 0
 * (raw) or 1 (compressed, then the raw size), then the bytes. Full states compress; deltas
 * (sent while syncing, and applied at once) do not. UTF-8 holds no lone surrogate, and a run
 * boundary must not fall inside a pair; text that needs either (remote edits can cut a pair:
 * an insert between its halves, a delete of one half) is written as its UTF-16 units, mode 2,
 * so that it reads back unit for unit.
 */
export const textCodec: ContentCodec<string> = textCodecOf(true);
export const rawTextCodec: ContentCodec<string> = textCodecOf(false);

function textCodecOf(compress: boolean): ContentCodec<string> {
  return {
    write(w, contents) {
      const text = contents.join('');
      if (!text.isWellFormed() || contents.some(endsInsidePair)) {
        w.u8(UTF16);
        w.varuint(text.length);
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          w.u8(c & 0xff);
          w.u8(c >>> 8);
        }
        return;
      }
      const raw = utf8.encode(text);
      const packed = compress ? lzCompress(raw) : undefined;
      if (packed === undefined) {
        w.u8(0);
        w.bytes(raw);
      } else {
        w.u8(1);
        w.varuint(raw.length);
        w.bytes(packed);
      }
    },
    read(r, lengths) {
      const start = r.offset;
      let total = 0;
      for (const n of lengths) total += n;
      const mode = r.u8();
      if (mode === UTF16) return readUtf16(r, lengths, total);
      if (mode > 1) r.fail('unknown text content encoding');
      let bytes: Uint8Array;
      if (mode === 0) bytes = r.bytes();
      else {
        const size = r.varuint();
        const packed = r.bytes();
        // At most 3 UTF-8 bytes per UTF-16 unit, and a bounded expansion.
        if (size > 3 * total || size > packed.length * MAX_RATIO)
          r.fail('bad compressed text size');
        bytes = lzDecompress(r, packed, size);
      }
      let text: string;
      try {
        text = utf8Strict.decode(bytes);
      } catch {
        throw new DecodeError('text content is not valid UTF-8', start);
      }
      if (total !== text.length) {
        throw new DecodeError(`text content has ${text.length} units, the runs ${total}`, start);
      }
      const out = cut(text, lengths);
      // (Text whose runs cut a pair is written as UTF-16: this one is not the canonical encoding.)
      if (!text.isWellFormed() || out.some(endsInsidePair))
        throw new DecodeError('a run ends inside a surrogate pair in UTF-8 text content');
      return out;
    },
  };
}

/** Mode 2: the count, then the text's UTF-16 units (2 bytes each, little-endian). */
const UTF16 = 2;

/** Whether a run's last unit is the first half of a surrogate pair (the next run has the other). */
function endsInsidePair(content: string): boolean {
  const c = content.charCodeAt(content.length - 1);
  return c >= 0xd800 && c <= 0xdbff;
}

function readUtf16(r: Reader, lengths: readonly number[], total: number): string[] {
  const start = r.offset;
  const n = r.varuint();
  if (n !== total) throw new DecodeError(`text content has ${n} units, the runs ${total}`, start);
  if (2 * n > r.remaining) r.fail('text content exceeds the remaining input');
  const text = utf16Text(r, n);
  // Canonical: text that UTF-8 carries unit for unit is written as UTF-8.
  const out = cut(text, lengths);
  if (text.isWellFormed() && !out.some(endsInsidePair))
    throw new DecodeError('well-formed text content written as UTF-16 units', start);
  return out;
}

function utf16Text(r: Reader, n: number): string {
  let text = '';
  const chunk: number[] = [];
  for (let i = 0; i < n; i++) {
    chunk.push(r.u8() | (r.u8() << 8)); // little-endian
    if (chunk.length === 4096 || i === n - 1) {
      text += String.fromCharCode(...chunk);
      chunk.length = 0;
    }
  }
  return text;
}

function cut(text: string, lengths: readonly number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const n of lengths) {
    out.push(text.slice(at, at + n));
    at += n;
  }
  return out;
}

/** Lists: the values one after the other. */
export const valuesCodec: ContentCodec<Value[]> = {
  write(w, contents) {
    for (const values of contents) for (const v of values) writeValue(w, v);
  },
  read(r, lengths) {
    return lengths.map((n) => {
      if (n > r.remaining) r.fail('list content exceeds the remaining input');
      const values: Value[] = [];
      for (let i = 0; i < n; i++) values.push(readValue(r));
      return values;
    });
  },
};
