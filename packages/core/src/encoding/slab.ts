/**
 * Small byte arrays carved out of shared 64 KiB blocks. Each `new Uint8Array` has a backing
 * store of its own, which the garbage collector tracks and sweeps one by one: for the payload of
 * every keystroke's change, kept by the change log, that cost more than making the change. A
 * view into a block is a plain object. Only for bytes kept in memory (a view keeps its whole
 * block alive, and structured clone would copy the whole block).
 */
const BLOCK = 64 * 1024;
const MAX_SMALL = 1024;

let block = new Uint8Array(BLOCK);
let used = 0;

export function smallBytes(length: number): Uint8Array {
  if (length > MAX_SMALL) return new Uint8Array(length);
  if (used + length > BLOCK) {
    block = new Uint8Array(BLOCK);
    used = 0;
  }
  const out = block.subarray(used, used + length);
  used += length;
  return out;
}
