// Byte counting on sync transports: what goes over the wire, message by message.
import { decodeMessage, memoryTransportPair, type SyncMessage, type Transport } from '@weft/core';
import { now } from '../lib/stats.js';

/** One message that crossed a recorded link. */
export interface WireMessage {
  /** The side that sent it. */
  readonly from: 'a' | 'b';
  readonly bytes: number;
  /**
   * Its flight: 1 for a message sent before its sender heard anything, else one more than the
   * highest flight its sender had received when sending it. Two flights make a round trip.
   */
  readonly flight: number;
  readonly sentAt: number;
  receivedAt: number | undefined;
  readonly data: Uint8Array;
}

/**
 * An in-memory link (`memoryTransportPair`) that records every message in both directions:
 * its size, its flight and when it was sent and received. Messages are decoded only on
 * request (`kinds`), after the measurement, so recording costs almost nothing.
 */
export class RecordedLink {
  readonly messages: WireMessage[] = [];
  readonly a: RecordingEnd;
  readonly b: RecordingEnd;

  constructor() {
    const [a, b] = memoryTransportPair();
    const sent = { a: [] as WireMessage[], b: [] as WireMessage[] };
    this.a = new RecordingEnd(a, 'a', sent, this.messages);
    this.b = new RecordingEnd(b, 'b', sent, this.messages);
  }

  /** Total bytes, both directions. */
  bytes(filter: (m: WireMessage) => boolean = () => true): number {
    return this.messages.filter(filter).reduce((n, m) => n + m.bytes, 0);
  }

  /** What each direction carried, by message kind (parts counted with their message). */
  kinds(): { a: KindTally; b: KindTally } {
    return {
      a: tallyKinds(this.messages.filter((m) => m.from === 'a').map((m) => m.data)),
      b: tallyKinds(this.messages.filter((m) => m.from === 'b').map((m) => m.data)),
    };
  }
}

/** Per message kind: messages, frames (a message too large for one frame goes in parts), bytes. */
export type KindTally = Map<string, { messages: number; frames: number; bytes: number }>;

/** Decodes frames sent one way, in order, joining parts, and tallies them by message kind. */
export function tallyKinds(frames: readonly Uint8Array[]): KindTally {
  const tally: KindTally = new Map();
  let pieces: Uint8Array[] = [];
  let pieceFrames = 0;
  let pieceBytes = 0;
  const add = (kind: string, frames: number, bytes: number) => {
    const t = tally.get(kind) ?? { messages: 0, frames: 0, bytes: 0 };
    t.messages += 1;
    t.frames += frames;
    t.bytes += bytes;
    tally.set(kind, t);
  };
  for (const frame of frames) {
    const message: SyncMessage = decodeMessage(frame);
    if (message.kind !== 'part') {
      add(message.kind, 1, frame.length);
      continue;
    }
    pieces.push(message.bytes);
    pieceFrames += 1;
    pieceBytes += frame.length;
    if (!message.last) continue;
    const whole = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const piece of pieces) {
      whole.set(piece, at);
      at += piece.length;
    }
    add(decodeMessage(whole).kind, pieceFrames, pieceBytes);
    pieces = [];
    pieceFrames = 0;
    pieceBytes = 0;
  }
  return tally;
}

/** "1 snapshot (2 frames, 917 KiB), 1 changes (…)" */
export function describeKinds(tally: KindTally, prefix = ''): string[] {
  return [...tally].map(
    ([kind, t]) =>
      `${prefix}${t.messages} ${kind}${t.frames > t.messages ? ` (in ${t.frames} frames)` : ''}`,
  );
}

export class RecordingEnd implements Transport {
  /** The highest flight this end has received. */
  depth = 0;
  private received = 0;

  constructor(
    private readonly inner: Transport,
    private readonly side: 'a' | 'b',
    private readonly sent: { a: WireMessage[]; b: WireMessage[] },
    private readonly log: WireMessage[],
  ) {}

  send(message: Uint8Array): void {
    const record: WireMessage = {
      from: this.side,
      bytes: message.length,
      flight: this.depth + 1,
      sentAt: now(),
      receivedAt: undefined,
      data: message,
    };
    this.sent[this.side].push(record);
    this.log.push(record);
    this.inner.send(message);
  }

  onMessage(receive: (message: Uint8Array) => void): void {
    const other = this.side === 'a' ? 'b' : 'a';
    this.inner.onMessage((message) => {
      // The link keeps order per direction: the n-th message received is the n-th sent.
      const record = this.sent[other][this.received++];
      if (record) {
        record.receivedAt = now();
        this.depth = Math.max(this.depth, record.flight);
      }
      receive(message);
    });
  }

  onClose(closed: (reason: string) => void): void {
    this.inner.onClose(closed);
  }

  close(reason?: string): void {
    this.inner.close(reason);
  }
}

/**
 * Counts what a transport receives and sends (payload bytes, without framing); with `keep`,
 * also keeps the frames, for `tallyKinds` after the measurement.
 */
export class CountingTransport implements Transport {
  bytesIn = 0;
  messagesIn = 0;
  bytesOut = 0;
  messagesOut = 0;
  readonly framesIn: Uint8Array[] = [];
  readonly framesOut: Uint8Array[] = [];

  constructor(
    private readonly inner: Transport,
    private readonly keep = false,
  ) {}

  send(message: Uint8Array): void {
    this.bytesOut += message.length;
    this.messagesOut += 1;
    if (this.keep) this.framesOut.push(message);
    this.inner.send(message);
  }

  onMessage(receive: (message: Uint8Array) => void): void {
    this.inner.onMessage((message) => {
      this.bytesIn += message.length;
      this.messagesIn += 1;
      if (this.keep) this.framesIn.push(message);
      receive(message);
    });
  }

  onClose(closed: (reason: string) => void): void {
    this.inner.onClose(closed);
  }

  close(reason?: string): void {
    this.inner.close(reason);
  }
}
