import { decodeMessage, type Transport, type VersionVector } from '@weft/core';

/**
 * A transport that reports the version vector of the peer's hello (the first message a
 * session sends) and otherwise passes everything through: a tab uses it to know when it has
 * caught up with what the hub had when they met.
 */
export class HelloWatch implements Transport {
  private seen = false;

  constructor(
    private readonly inner: Transport,
    private readonly onHello: (vector: VersionVector) => void,
  ) {}

  send(message: Uint8Array): void {
    this.inner.send(message);
  }

  onMessage(receive: (message: Uint8Array) => void): void {
    this.inner.onMessage((message) => {
      if (!this.seen) {
        this.seen = true;
        try {
          const hello = decodeMessage(message);
          if (hello.kind === 'hello') this.onHello(hello.vector);
        } catch {
          // The session decodes it too, and ends with a protocol error.
        }
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
