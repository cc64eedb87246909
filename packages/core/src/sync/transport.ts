/**
 * A transport moves whole messages (bytes) between two peers, in order, until it closes. The
 * sync session is written against this interface only; WebSocket and in-memory pairs fit.
 */
export interface Transport {
  send(message: Uint8Array): void;
  /** Registers the receiver of incoming messages (one at a time). */
  onMessage(receive: (message: Uint8Array) => void): void;
  onClose(closed: (reason: string) => void): void;
  close(reason?: string): void;
}

/** Two connected in-memory transports, delivering asynchronously (as a network would). */
export function memoryTransportPair(): [Transport, Transport] {
  const a = new MemoryTransport();
  const b = new MemoryTransport();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class MemoryTransport implements Transport {
  peer: MemoryTransport | undefined;
  private receive: ((message: Uint8Array) => void) | undefined;
  private readonly closedListeners: ((reason: string) => void)[] = [];
  private closed = false;

  send(message: Uint8Array): void {
    if (this.closed) throw new Error('the transport is closed');
    const peer = this.peer;
    const copy = message.slice();
    queueMicrotask(() => peer?.receive?.(copy));
  }

  onMessage(receive: (message: Uint8Array) => void): void {
    this.receive = receive;
  }

  onClose(closed: (reason: string) => void): void {
    this.closedListeners.push(closed);
  }

  /** Closes both ends; messages already sent are still delivered first. */
  close(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    queueMicrotask(() => {
      for (const listener of this.closedListeners) listener(reason);
      this.receive = undefined;
      this.peer?.close(reason);
    });
  }
}
