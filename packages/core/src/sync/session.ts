import { type VersionVector, vvMerge } from '../clocks/version-vector.js';
import type { Space } from '../database/space.js';
import type { Value } from '../encoding/value.js';
import { WeftError } from '../errors.js';
import { runEnd } from '../log/run.js';
import { decodeMessage, encodeMessage, PROTOCOL_VERSION, type SyncMessage } from './messages.js';
import type { Transport } from './transport.js';

export interface SyncSessionOptions {
  /** Sent in the hello, for the other side's `authenticate`. */
  readonly credentials?: Value;
  /** Runs per `changes` message. Default 256. */
  readonly batchRuns?: number;
  /**
   * Whether the peer may send changes. Default true. When false (a read-only peer), a
   * `changes` message is answered with an error (code 'forbidden') and the session closes.
   */
  readonly acceptChanges?: boolean;
  /** Told when the session ends, with why. */
  readonly onClose?: (reason: string) => void;
  /** Told of presence the peer sends (its own, or, from a server, other clients'). */
  readonly onPresence?: (client: string, state: Value) => void;
}

/**
 * Syncs one space with one peer over a transport: hello with heads and version vector, then
 * each side sends exactly the runs the other lacks (durable before they leave), then new
 * changes are pushed live; every batch received is acknowledged once stored.
 */
export class SyncSession {
  /** What the peer has: from its hello and acks, what it sent, and what we sent it. */
  private peerKnows: VersionVector = new Map();
  private helloReceived = false;
  private closed = false;
  private inbox: Promise<void> = Promise.resolve();
  private pushing: Promise<void> | undefined;
  private pushAgain = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly space: Space,
    private readonly transport: Transport,
    private readonly replica: string,
    private readonly options: SyncSessionOptions = {},
  ) {}

  start(): void {
    this.transport.onMessage((bytes) => {
      this.inbox = this.inbox.then(() => this.handle(bytes));
    });
    this.transport.onClose((reason) => this.stop(reason));
    this.send({
      kind: 'hello',
      protocol: PROTOCOL_VERSION,
      replica: this.replica,
      space: this.space.name,
      heads: this.space.heads(),
      vector: this.space.versionVector(),
      credentials: this.options.credentials ?? null,
    });
    this.unsubscribe = this.space.onChange(() => void this.push());
  }

  /** Resolves once every message received so far is handled and every push is done. */
  async idle(): Promise<void> {
    await this.inbox;
    await this.pushing;
  }

  close(reason = 'closed'): void {
    this.transport.close(reason);
    this.stop(reason);
  }

  private stop(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.options.onClose?.(reason);
  }

  private async handle(bytes: Uint8Array): Promise<void> {
    if (this.closed) return;
    let message: SyncMessage;
    try {
      message = decodeMessage(bytes);
    } catch (error) {
      return this.fail('protocol', `malformed message: ${(error as Error).message}`);
    }
    switch (message.kind) {
      case 'hello':
        if (message.space !== this.space.name) {
          return this.fail(
            'protocol',
            `this session syncs space "${this.space.name}", not "${message.space}"`,
          );
        }
        this.helloReceived = true;
        this.peerKnows = vvMerge(this.peerKnows, message.vector);
        return this.push();
      case 'changes':
        if (this.options.acceptChanges === false) {
          return this.fail('forbidden', 'this peer may only read this space');
        }
        for (const run of message.runs) this.learn(run.actor, runEnd(run));
        try {
          await this.space.receive(message.runs);
        } catch (error) {
          const code = error instanceof WeftError ? error.code : 'internal';
          return this.fail(code, (error as Error).message);
        }
        this.send({ kind: 'ack', vector: this.space.versionVector() });
        return;
      case 'ack':
        this.peerKnows = vvMerge(this.peerKnows, message.vector);
        return;
      case 'error':
        this.close(`the peer refused: ${message.code}: ${message.message}`);
        return;
      case 'presence':
        this.options.onPresence?.(message.client, message.state);
        return;
    }
  }

  /** Sends a client's presence (null: gone) to the peer. Presence is never stored. */
  sendPresence(client: string, state: Value): void {
    this.send({ kind: 'presence', client, state });
  }

  /** Sends the peer every run it lacks; runs are durable here before they leave. */
  private push(): Promise<void> {
    if (!this.helloReceived || this.closed) return Promise.resolve();
    if (this.pushing) {
      this.pushAgain = true;
      return this.pushing;
    }
    this.pushing = (async () => {
      try {
        do {
          this.pushAgain = false;
          await this.space.flush();
          if (this.closed) return;
          const runs = await this.space.changesSinceStored(this.peerKnows);
          if (this.closed) return;
          const batch = this.options.batchRuns ?? 256;
          for (let i = 0; i < runs.length; i += batch) {
            const slice = runs.slice(i, i + batch);
            this.send({ kind: 'changes', runs: slice });
            for (const run of slice) this.learn(run.actor, runEnd(run));
          }
        } while (this.pushAgain && !this.closed);
      } finally {
        this.pushing = undefined;
      }
    })();
    return this.pushing;
  }

  private learn(actor: string, seq: number): void {
    if ((this.peerKnows.get(actor) ?? 0) < seq) this.peerKnows.set(actor, seq);
  }

  private send(message: SyncMessage): void {
    if (!this.closed) this.transport.send(encodeMessage(message));
  }

  private fail(code: string, message: string): void {
    this.send({ kind: 'error', code, message });
    this.close(`${code}: ${message}`);
  }
}
