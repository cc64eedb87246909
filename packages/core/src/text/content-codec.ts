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
 * Text: all of it as one UTF-8 string (valid UTF-8, so no lone surrogates), LZ-compressed
 * when `compress` and that helps: a byte 0 (raw) or 1 (compressed, then the raw size), then
 * the bytes. Full states compress; deltas (sent while syncing, and applied at once) do not.
 */
export const textCodec: ContentCodec<string> = textCodecOf(true);
export const rawTextCodec: ContentCodec<string> = textCodecOf(false);

function textCodecOf(compress: boolean): ContentCodec<string> {
  return {
    write(w, contents) {
      const raw = utf8.encode(contents.join(''));
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
      const out: string[] = [];
      let at = 0;
      for (const n of lengths) {
        out.push(text.slice(at, at + n));
        at += n;
      }
      // A run boundary inside a surrogate pair would let an edit split the pair.
      at = 0;
      for (const n of lengths) {
        at += n;
        const c = text.charCodeAt(at - 1);
        if (c >= 0xd800 && c <= 0xdbff) throw new DecodeError('a run ends inside a surrogate pair');
      }
      return out;
    },
  };
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
