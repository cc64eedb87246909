import type { Transport } from '@weft/core';
import type { RawData, WebSocket } from 'ws';

/** Close reasons travel in the close frame, which holds at most 123 bytes of reason. */
const MAX_REASON_BYTES = 123;

export interface WebSocketTransportOptions {
  /**
   * The most messages waiting to go out (sent, not yet written to the socket); past it the
   * peer reads too slowly and the connection is closed. It catches up when it reconnects, from
   * its hello. Default: no limit.
   */
  readonly maxQueuedMessages?: number;
}

/**
 * A transport over a `ws` WebSocket: each message is one binary frame. Messages that arrive
 * before a receiver is registered are kept and delivered to it. `onClose` listeners are told
 * once, when the socket closes or fails, or when `close` is called.
 */
export class WebSocketTransport implements Transport {
  private receive: ((message: Uint8Array) => void) | undefined;
  private readonly early: Uint8Array[] = [];
  private readonly closedListeners: ((reason: string) => void)[] = [];
  private closedWith: string | undefined;
  private queued = 0;
  private readonly sent = () => {
    this.queued -= 1;
  };

  constructor(
    private readonly socket: WebSocket,
    private readonly options: WebSocketTransportOptions = {},
  ) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data) => this.deliver(toBytes(data)));
    socket.on('error', (error) => this.closed(`error: ${error.message}`));
    socket.on('close', (code, reason) => {
      const text = reason.toString('utf8');
      this.closed(text ? `closed (${code}): ${text}` : `closed (${code})`);
    });
  }

  /** Whether the transport has closed (either side, or an error). */
  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }

  send(message: Uint8Array): void {
    if (this.closedWith !== undefined) return;
    const max = this.options.maxQueuedMessages;
    if (max !== undefined && this.queued >= max) {
      this.close(`overloaded: more than ${max} messages queued for this connection`);
      return;
    }
    this.queued += 1;
    this.socket.send(message, { binary: true }, this.sent);
  }

  /** Messages sent and not yet written to the socket. */
  get queuedMessages(): number {
    return this.queued;
  }

  /** Bytes sent and not yet handed to the network (ws's `bufferedAmount`). */
  get bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  onMessage(receive: (message: Uint8Array) => void): void {
    this.receive = receive;
    while (this.early.length > 0 && this.receive === receive) receive(this.early.shift()!);
  }

  onClose(closed: (reason: string) => void): void {
    if (this.closedWith !== undefined) closed(this.closedWith);
    else this.closedListeners.push(closed);
  }

  /** Closes the socket (messages already sent go first). */
  close(reason = 'closed'): void {
    if (this.closedWith === undefined) this.socket.close(1000, truncate(reason));
    this.closed(reason);
  }

  /** Hands a message to the current receiver as if it had just arrived. */
  deliver(message: Uint8Array): void {
    if (this.closedWith !== undefined) return;
    if (this.receive) this.receive(message);
    else this.early.push(message);
  }

  private closed(reason: string): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = reason;
    this.receive = undefined;
    this.early.length = 0;
    for (const listener of this.closedListeners.splice(0)) listener(reason);
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1011, truncate(reason));
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function truncate(reason: string): string {
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length <= MAX_REASON_BYTES) return reason;
  // Cut on a character boundary: decode a prefix and drop a possibly broken last character.
  return bytes
    .subarray(0, MAX_REASON_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}
