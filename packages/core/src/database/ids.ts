const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Random bytes drawn in blocks: one getRandomValues call per 409 ids instead of one per id. */
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolPos = POOL_SIZE;

/**
 * A new document id: 10 characters of time (ms, base 32) then 10 random ones. Ids sort roughly
 * by creation time, and two replicas practically never pick the same one.
 */
export function newDocId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  if (poolPos + 10 > POOL_SIZE) {
    crypto.getRandomValues(pool);
    poolPos = 0;
  }
  let tail = '';
  for (let i = 0; i < 10; i++) tail += ALPHABET[pool[poolPos++]! % 32];
  return time + tail;
}
