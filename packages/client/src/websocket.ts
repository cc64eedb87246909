import type { Transport } from '@weft/core';

/** What the client needs of a WebSocket: the standard (WHATWG) API, as in browsers. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

/** A WebSocket constructor: the browser's `WebSocket`, or `WebSocket` from the `ws` package. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;
/** Close reasons travel in the close frame, which holds at most 123 bytes of reason. */
const MAX_REASON_BYTES = 123;

/**
 * A transport over a standard WebSocket: each message is one binary frame. Listeners hear of
 * the close once, whether the socket closed, failed, or `close` was called.
 */
export class StandardWebSocketTransport implements Transport {
  private receive: ((message: Uint8Array) => void) | undefined;
  private readonly closedListeners: ((reason: string) => void)[] = [];
  private closedWith: string | undefined;
  /** Called for every frame that arrives, before it is handled (liveness for heartbeats). */
  onFrame: (() => void) | undefined;

  constructor(private readonly socket: WebSocketLike) {
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('message', (event) => {
      this.onFrame?.();
      const bytes = toBytes(event.data);
      if (!bytes) return this.close('protocol: a text frame; Weft speaks binary frames');
      if (this.closedWith === undefined) this.receive?.(bytes);
    });
    socket.addEventListener('error', () => this.closed('the connection failed'));
    socket.addEventListener('close', (event) =>
      this.closed(
        event.reason ? `closed (${event.code}): ${event.reason}` : `closed (${event.code})`,
      ),
    );
  }

  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }

  send(message: Uint8Array): void {
    if (this.closedWith === undefined && this.socket.readyState === OPEN) this.socket.send(message);
  }

  onMessage(receive: (message: Uint8Array) => void): void {
    this.receive = receive;
  }

  onClose(closed: (reason: string) => void): void {
    if (this.closedWith !== undefined) closed(this.closedWith);
    else this.closedListeners.push(closed);
  }

  close(reason = 'closed'): void {
    if (this.closedWith === undefined) {
      try {
        this.socket.close(1000, truncate(reason));
      } catch {
        // A socket still connecting may refuse a reason; it is closing either way.
      }
    }
    this.closed(reason);
  }

  private closed(reason: string): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = reason;
    this.receive = undefined;
    for (const listener of this.closedListeners.splice(0)) listener(reason);
  }
}

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

/** Cuts a reason to what a close frame holds, on a character boundary. */
function truncate(reason: string): string {
  const bytes = new TextEncoder().encode(reason);
  if (bytes.length <= MAX_REASON_BYTES) return reason;
  return new TextDecoder().decode(bytes.subarray(0, MAX_REASON_BYTES)).replace(/\uFFFD$/, '');
}
