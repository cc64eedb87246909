const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

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
  const random = crypto.getRandomValues(new Uint8Array(10));
  let tail = '';
  for (const b of random) tail += ALPHABET[b % 32];
  return time + tail;
}
