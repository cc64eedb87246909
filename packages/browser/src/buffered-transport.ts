import type { Transport } from '@weft/core';

/**
 * Holds the messages that arrive before a receiver is registered (an in-process transport
 * delivers at once, while the hub may still be opening the space it will serve).
 */
export class BufferedTransport implements Transport {
  private receive: ((message: Uint8Array) => void) | undefined;
  private readonly early: Uint8Array[] = [];

  constructor(private readonly inner: Transport) {
    inner.onMessage((message) => {
      if (this.receive) this.receive(message);
      else this.early.push(message);
    });
  }

  send(message: Uint8Array): void {
    this.inner.send(message);
  }

  onMessage(receive: (message: Uint8Array) => void): void {
    this.receive = receive;
    for (const message of this.early.splice(0)) if (this.receive === receive) receive(message);
  }

  onClose(closed: (reason: string) => void): void {
    this.inner.onClose(closed);
  }

  close(reason?: string): void {
    this.inner.close(reason);
  }
}
