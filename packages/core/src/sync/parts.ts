import { ProtocolError } from '../errors.js';
import { decodeMessage, encodeMessage, type SyncMessage } from './messages.js';

/** The default largest frame a session sends: under a server's default 1 MiB message limit. */
export const DEFAULT_MAX_FRAME_BYTES = 512 * 1024;
/** The default largest message a session reassembles from parts. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * Encodes a message into frames of at most `maxFrame` bytes: the message itself when it fits,
 * else `part` messages carrying consecutive pieces of its encoding.
 */
export function encodeFrames(message: SyncMessage, maxFrame: number): Uint8Array[] {
  const whole = encodeMessage(message);
  if (whole.length <= maxFrame) return [whole];
  const piece = Math.max(1, maxFrame - PART_OVERHEAD);
  const frames: Uint8Array[] = [];
  for (let at = 0; at < whole.length; at += piece) {
    const bytes = whole.subarray(at, at + piece);
    frames.push(encodeMessage({ kind: 'part', last: at + piece >= whole.length, bytes }));
  }
  return frames;
}

/** Envelope, kind, flag and a length prefix of up to 5 bytes. */
const PART_OVERHEAD = 16;

/**
 * Joins `part` messages back into the message they carry. Throws ProtocolError when the parts
 * would make more than `maxBytes`, or carry a message that is itself a part.
 */
export class PartAssembler {
  private pieces: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  /** Whether a message is partly received. */
  get pending(): boolean {
    return this.pieces.length > 0;
  }

  /** Adds a part; returns the whole message once its last part is in. */
  add(part: Extract<SyncMessage, { kind: 'part' }>): SyncMessage | undefined {
    this.size += part.bytes.length;
    if (this.size > this.maxBytes) {
      this.pieces = [];
      throw new ProtocolError(
        `a message in parts is larger than the ${this.maxBytes} bytes this peer accepts`,
      );
    }
    this.pieces.push(part.bytes);
    if (!part.last) return undefined;
    const whole = new Uint8Array(this.size);
    let at = 0;
    for (const piece of this.pieces) {
      whole.set(piece, at);
      at += piece.length;
    }
    this.pieces = [];
    this.size = 0;
    const message = decodeMessage(whole);
    if (message.kind === 'part') throw new ProtocolError('a part carries another part');
    return message;
  }
}
