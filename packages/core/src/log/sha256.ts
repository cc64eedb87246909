/**
 * SHA-256 (FIPS 180-4) of the concatenation of a few byte arrays, allocating nothing but the
 * digest. The change log hashes every run it receives; a general-purpose hasher object per
 * call (as @noble/hashes makes) costs more than the compression itself for runs this small.
 * Tested against @noble/hashes and the FIPS examples.
 */

// prettier-ignore
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const state = new Int32Array(8);
const w = new Int32Array(64);
/** The current partial block, and how many bytes of it are filled. */
const block = new Uint8Array(64);
let filled = 0;

/** SHA-256 of `first` followed by `second`. */
export function sha256(first: Uint8Array, second?: Uint8Array): Uint8Array {
  return sha256Of(first, second ?? first, 0, second ? second.length : 0);
}

/**
 * SHA-256 of `first` followed by `second`'s bytes from `from` up to `to` (without a view),
 * written into `out` if given (a digest only compared need not be allocated).
 */
export function sha256Of(
  first: Uint8Array,
  second: Uint8Array,
  from: number,
  to: number,
  out?: Uint8Array,
): Uint8Array {
  state.set(IV);
  filled = 0;
  absorb(first, 0, first.length);
  absorb(second, from, to);
  return finish(first.length + (to - from), out);
}

function absorb(bytes: Uint8Array, from: number, to: number): void {
  let at = from;
  if (filled > 0) {
    while (filled < 64 && at < to) block[filled++] = bytes[at++]!;
    if (filled < 64) return;
    compress(block, 0);
    filled = 0;
  }
  for (; at + 64 <= to; at += 64) compress(bytes, at);
  while (at < to) block[filled++] = bytes[at++]!;
}

function finish(length: number, out: Uint8Array = new Uint8Array(32)): Uint8Array {
  // Padding: a 1 bit, zeros, then the message length in bits as a 64-bit big-endian number.
  block[filled++] = 0x80;
  if (filled > 56) {
    block.fill(0, filled);
    compress(block, 0);
    filled = 0;
  }
  block.fill(0, filled, 56);
  const bits = length * 8;
  const high = Math.floor(bits / 2 ** 32);
  for (let i = 0; i < 4; i++) {
    block[56 + i] = high >>> (24 - 8 * i);
    block[60 + i] = bits >>> (24 - 8 * i);
  }
  compress(block, 0);
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = v >>> 16;
    out[4 * i + 2] = v >>> 8;
    out[4 * i + 3] = v;
  }
  return out;
}

/** One 64-byte block of `bytes` from `at` into `state`. */
function compress(bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    w[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    // Ch and Maj in their shorter equivalent forms.
    const t1 = (h + S1 + (g ^ (e & (f ^ g))) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}
