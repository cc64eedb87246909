// What a fan-out benchmark needs from a sync system's clients (Weft's or y-websocket's).
import { seededRandom } from '../lib/random.js';

/** A receiver tells the harness it has applied every write numbered up to `upTo`. */
export type Seen = (receiver: number, upTo: number) => void;

export interface PeerOptions {
  readonly url: string;
  readonly receivers: number;
  /** Documents (Weft) or map keys (Yjs) the writer updates in turn. */
  readonly pool: number;
  /** Size of the string each write stores. */
  readonly payloadBytes: number;
  readonly seen: Seen;
  /** Connections opened at once while connecting the receivers. */
  readonly connectConcurrency: number;
}

/** One writer and `receivers` clients connected to one server, all synced. */
export interface FanoutPeers {
  /** The writer makes write number `n` (1, 2, 3…): one small update, returns at once. */
  write(n: number): void;
  /** Payload bytes the receivers have received so far (WebSocket messages, no framing). */
  received(): { bytes: number; messages: number };
  /** Errors seen by clients (a failed write, a closed session…). */
  errors(): string[];
  close(): Promise<void>;
}

/** The string of write `n`: starts with `n:` (so a receiver can read the number), then filler. */
export function payloadOf(n: number, bytes: number): string {
  const prefix = `${n}:`;
  return prefix + filler(bytes).slice(prefix.length);
}

let cached = '';
function filler(bytes: number): string {
  if (cached.length < bytes) {
    const random = seededRandom(99);
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let s = '';
    for (let i = 0; i < bytes; i++) s += letters[Math.floor(random() * letters.length)];
    cached = s;
  }
  return cached.slice(0, bytes);
}

/** Runs `open(i)` for i in [0, n), at most `concurrency` at a time, in order of i. */
export async function openAll<T>(
  n: number,
  concurrency: number,
  open: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await open(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return out;
}
