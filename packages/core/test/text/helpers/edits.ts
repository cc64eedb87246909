import type { TextCrdt, TextOp } from '../../../src/index.js';
import type { Prng } from '../../helpers/prng.js';

const ALPHABET = ['a', 'b', 'c', 'd', 'e', ' ', 'é', '😀', '𝄞'];

/** Random text of 1 … max code points, with some surrogate pairs. */
export function randomText(rng: Prng, max = 4, alphabet = ALPHABET): string {
  let s = '';
  const n = 1 + rng.int(max);
  for (let i = 0; i < n; i++) s += rng.pick(alphabet);
  return s;
}

/** A position of `text` that is not inside a surrogate pair, near `pos`. */
export function boundary(text: string, pos: number): number {
  const c = text.charCodeAt(pos - 1);
  return pos > 0 && c >= 0xd800 && c <= 0xdbff ? pos - 1 : pos;
}

/** One random local edit on `doc` (insert or delete at whole code points); its ops. */
export function randomEdit(rng: Prng, doc: TextCrdt, alphabet?: string[]): TextOp[] {
  const text = doc.toString();
  if (text.length > 0 && rng.chance(0.35)) {
    const pos = boundary(text, rng.int(text.length));
    let end = boundary(text, Math.min(text.length, pos + 1 + rng.int(6)));
    if (end === pos) end = Math.min(text.length, pos + 2);
    end = boundary(text, end);
    if (end <= pos) return [];
    const op = doc.delete(pos, end - pos);
    return op ? [op] : [];
  }
  const pos = boundary(text, rng.int(text.length + 1));
  const op = doc.insert(pos, randomText(rng, 4, alphabet));
  return op ? [op] : [];
}
