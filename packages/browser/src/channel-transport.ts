import type { Transport } from '@weft/core';

/** What travels on a connection's channel: a message, or the end of the connection. */
type Frame = { readonly m: Uint8Array } | { readonly close: string };

/**
 * A transport over a BroadcastChannel that only the two ends of one connection listen on
 * (its name is unique to the connection): messages are delivered in order, copied. Messages
 * that arrive before a receiver is registered wait for it.
 */
export class ChannelTransport implements Transport {
  private readonly channel: BroadcastChannel;
  private receive: ((message: Uint8Array) => void) | undefined;
  private readonly early: Uint8Array[] = [];
  private readonly closedListeners: ((reason: string) => void)[] = [];
  private closedWith: string | undefined;
  private firstListener: (() => void) | undefined;

  constructor(name: string) {
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = (event: MessageEvent<Frame>) => {
      const frame = event.data;
      if (this.closedWith !== undefined || typeof frame !== 'object' || frame === null) return;
      if ('close' in frame) return this.closed(`the other tab closed: ${String(frame.close)}`);
      if (!(frame.m instanceof Uint8Array)) return;
      this.firstListener?.();
      this.firstListener = undefined;
      if (this.receive) this.receive(frame.m);
      else this.early.push(frame.m);
    };
  }

  /** Resolves when the first message arrives (the other end is there and listening). */
  firstMessage(): Promise<void> {
    if (this.early.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.firstListener = resolve;
    });
  }

  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }

  send(message: Uint8Array): void {
    if (this.closedWith === undefined) this.channel.postMessage({ m: message } satisfies Frame);
  }

  onMessage(receive: (message: Uint8Array) => void): void {
    this.receive = receive;
    for (const message of this.early.splice(0)) if (this.receive === receive) receive(message);
  }

  onClose(closed: (reason: string) => void): void {
    if (this.closedWith !== undefined) closed(this.closedWith);
    else this.closedListeners.push(closed);
  }

  close(reason = 'closed'): void {
    if (this.closedWith !== undefined) return;
    this.channel.postMessage({ close: reason } satisfies Frame);
    this.closed(reason);
  }

  private closed(reason: string): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = reason;
    this.receive = undefined;
    this.channel.close();
    for (const listener of this.closedListeners.splice(0)) listener(reason);
  }
}
