import { type VersionVector, vvMerge } from '../clocks/version-vector.js';
import type { Space } from '../database/space.js';
import type { Value } from '../encoding/value.js';
import { WeftError } from '../errors.js';
import { type Run, runEnd } from '../log/run.js';
import { batches, changesFrames } from './changes-frames.js';
import { decodeMessage, PROTOCOL_VERSION, type SyncMessage } from './messages.js';
import {
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_MESSAGE_BYTES,
  encodeFrames,
  PartAssembler,
} from './parts.js';
import type { Transport } from './transport.js';

export interface SyncSessionOptions {
  /** Sent in the hello, for the other side's `authenticate`. */
  readonly credentials?: Value;
  /** Most runs per `changes` message. Default 256. */
  readonly batchRuns?: number;
  /** A `changes` message is closed once its runs reach about this many bytes. Default 256 KiB. */
  readonly batchBytes?: number;
  /** The largest frame sent; a larger message goes in parts. Default 512 KiB. */
  readonly maxFrameBytes?: number;
  /**
   * The most received messages waiting to be handled (messages are handled as they arrive,
   * but wait behind a hello or snapshot whose handling awaits storage); past it the session
   * ends with an 'overloaded' error. Default: no limit.
   */
  readonly maxQueuedMessages?: number;
  /** The largest message accepted in parts; larger ends the session. Default 256 MiB. */
  readonly maxMessageBytes?: number;
  /**
   * Whether the peer may send changes. Default true. When false (a read-only peer), a
   * `changes` message is answered with an error (code 'forbidden') and the session closes.
   */
  readonly acceptChanges?: boolean;
  /**
   * Whether to ask, when this space is empty, for a snapshot of the peer's space instead of
   * all of its history. Default true.
   */
  readonly requestSnapshot?: boolean;
  /**
   * Whether to ask the peer to acknowledge the changes this side sends. Default true. A
   * server relaying changes to clients has no use for their acks (a client that lost a change
   * says so in its next hello), so it asks for none.
   */
  readonly requestAcks?: boolean;
  /**
   * When to push changes made or received here: by default at once, as each is applied. A
   * server relaying to many clients passes a next-turn scheduler (one `nextTurnQueue` for all
   * its sessions), so that changes received together leave together: under a burst,
   * one message per client carries many changes.
   */
  readonly schedulePush?: (push: () => void) => void;
  /** Whether to answer a peer's request for a snapshot with one. Default true. */
  readonly sendSnapshot?: boolean;
  /** Told when the session ends, with why. */
  readonly onClose?: (reason: string) => void;
  /** Told of presence the peer sends (its own, or, from a server, other clients'). */
  readonly onPresence?: (client: string, state: Value) => void;
  /** Told when the peer answers a `ping` (see `ping()`). */
  readonly onPong?: () => void;
  /** Told of every acknowledgement: the peer has stored everything up to `vector` durably. */
  readonly onAck?: (vector: VersionVector) => void;
}

/** A push with nothing to do (one promise for all: a receiver asks after every change). */
const DONE: Promise<void> = Promise.resolve();

/**
 * Syncs one space with one peer over a transport: hello with heads and version vector, then
 * each side sends exactly the runs the other lacks (its own durable before they leave), then new
 * changes are pushed live; every batch received is acknowledged once stored. An empty space
 * may ask for a snapshot instead of all history. Messages larger than a frame go in parts.
 */
export class SyncSession {
  /** What the peer has: from its hello and acks, what it sent, and what we sent it. */
  private peerKnows: VersionVector = new Map();
  private helloReceived = false;
  /** A snapshot is being adopted: pushes wait (the peer's vector is not yet updated). */
  private adopting = false;
  private peerWantsAcks = true;
  private ackDue = false;
  /** Received runs are being written: an ack waits until they are in storage. */
  private storePending = false;
  private closed = false;
  /** The handling of received messages: one that awaits (a hello, a snapshot) holds up the rest. */
  private inbox: Promise<void> = Promise.resolve();
  /** Messages waiting behind one that awaits. */
  private inboxSize = 0;
  private inboxBusy = false;
  private pushing: Promise<void> | undefined;
  private pushAgain = false;
  /** A push is scheduled (options.schedulePush) and not yet started. */
  private pushScheduled = false;
  /** A push waits for this replica's own changes to be written (`written` makes it). */
  private pushWhenWritten = false;
  private unsubscribe: (() => void) | undefined;
  private readonly parts: PartAssembler;

  constructor(
    private readonly space: Space,
    private readonly transport: Transport,
    private readonly replica: string,
    private readonly options: SyncSessionOptions = {},
  ) {
    this.parts = new PartAssembler(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
  }

  start(): void {
    this.transport.onMessage((bytes) => this.received(bytes));
    this.transport.onClose((reason) => this.stop(reason));
    this.hello(this.options.requestSnapshot !== false && this.space.isEmpty());
    const stopChanges = this.space.onChange(() => this.changed());
    const stopWrites = this.space.onWritten((error) => this.written(error));
    this.unsubscribe = () => {
      stopChanges();
      stopWrites();
    };
  }

  /**
   * A write of the space landed: once everything received is in storage, an ack is due (it
   * claims only what is durable; one ack answers a burst).
   */
  private written(error: Error | undefined): void {
    if (error) {
      this.failWith(error);
      return;
    }
    if (this.pushWhenWritten && this.space.ownChangesDurable()) {
      this.pushWhenWritten = false;
      void this.push();
    }
    if (!this.storePending || !this.space.isDurable()) return;
    this.storePending = false;
    this.ackDue ||= this.peerWantsAcks;
    this.ackIfDue();
  }

  private changed(): void {
    const schedule = this.options.schedulePush;
    if (!schedule) {
      void this.push();
      return;
    }
    if (this.pushScheduled) return;
    this.pushScheduled = true;
    schedule(this.scheduledPush);
  }

  private readonly scheduledPush = (): void => {
    this.pushScheduled = false;
    void this.push();
  };

  /** Resolves once every message received so far is handled and every push is done. */
  async idle(): Promise<void> {
    await this.inbox;
    if (this.storePending || this.pushWhenWritten) await this.space.flush().catch(() => {});
    const schedule = this.options.schedulePush;
    while (this.pushScheduled && schedule && !this.closed) {
      await new Promise<void>((resolve) => schedule(resolve));
    }
    await this.pushing;
  }

  /**
   * What this side believes the peer has: its hello, its acks, the runs it sent, and the runs
   * sent to it (a copy). A space's changes beyond it have not been sent yet.
   */
  get peerVector(): VersionVector {
    return new Map(this.peerKnows);
  }

  close(reason = 'closed'): void {
    this.transport.close(reason);
    this.stop(reason);
  }

  /** Asks the peer for a `pong` (a heartbeat; see `onPong`). */
  ping(): void {
    this.send({ kind: 'ping' });
  }

  /** Sends a client's presence (null: gone) to the peer. Presence is never stored. */
  sendPresence(client: string, state: Value): void {
    this.send({ kind: 'presence', client, state });
  }

  private hello(wantsSnapshot: boolean): void {
    this.send({
      kind: 'hello',
      protocol: PROTOCOL_VERSION,
      replica: this.replica,
      space: this.space.name,
      heads: this.space.heads(),
      vector: this.space.versionVector(),
      credentials: this.options.credentials ?? null,
      wantsSnapshot,
      wantsAcks: this.options.requestAcks !== false,
    });
  }

  private stop(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.options.onClose?.(reason);
  }

  /**
   * A message arrived: handled at once (most are handled synchronously), or queued behind one
   * whose handling awaits, so that messages are always handled in the order they came.
   */
  private received(bytes: Uint8Array): void {
    if (!this.inboxBusy) {
      const waiting = this.handle(bytes);
      if (waiting) this.enqueue(waiting);
      return;
    }
    const max = this.options.maxQueuedMessages;
    if (max !== undefined && this.inboxSize >= max) {
      this.fail('overloaded', `more than ${max} messages wait to be handled`);
      return;
    }
    this.inboxSize += 1;
    this.enqueue(
      this.inbox.then(() => {
        this.inboxSize -= 1;
        return this.handle(bytes);
      }),
    );
  }

  /** Makes `step` the end of the inbox: messages arriving before it settles queue behind it. */
  private enqueue(step: Promise<void>): void {
    this.inboxBusy = true;
    const tail: Promise<void> = step.then(
      () => {
        if (this.inbox === tail) this.inboxBusy = false;
      },
      (error: unknown) => {
        if (this.inbox === tail) this.inboxBusy = false;
        this.failWith(error);
      },
    );
    this.inbox = tail;
  }

  /** Handles one message; returns a promise only if handling it has to wait. */
  private handle(bytes: Uint8Array): Promise<void> | undefined {
    if (this.closed) return undefined;
    let message: SyncMessage | undefined;
    try {
      message = decodeMessage(bytes);
      if (message.kind === 'part') message = this.parts.add(message);
      else if (this.parts.pending) throw new Error('a message came between the parts of another');
    } catch (error) {
      this.fail('protocol', `malformed message: ${(error as Error).message}`);
      return undefined;
    }
    const waiting = message ? this.dispatch(message) : undefined;
    if (waiting) return waiting.then(() => this.ackIfDue());
    this.ackIfDue();
    return undefined;
  }

  /** One ack covers every batch stored so far: sent once the messages received are handled. */
  private ackIfDue(): void {
    if (this.ackDue && this.inboxSize === 0 && !this.storePending && !this.closed) {
      this.ackDue = false;
      this.send({ kind: 'ack', vector: this.space.durableVersionVector() });
    }
  }

  /** Acts on one message; returns a promise only if that has to wait (a hello, a snapshot). */
  private dispatch(message: SyncMessage): Promise<void> | undefined {
    switch (message.kind) {
      case 'hello':
        return this.onHello(message);
      case 'changes':
        this.onChanges(message.runs);
        return undefined;
      case 'snapshot':
        return this.onSnapshot(message.snapshot);
      case 'ack':
        this.peerKnows = vvMerge(this.peerKnows, message.vector);
        this.options.onAck?.(message.vector);
        return undefined;
      case 'error':
        this.close(`the peer refused: ${message.code}: ${message.message}`);
        return undefined;
      case 'presence':
        this.options.onPresence?.(message.client, message.state);
        return undefined;
      case 'ping':
        this.send({ kind: 'pong' });
        return undefined;
      case 'pong':
        this.options.onPong?.();
        return undefined;
      case 'part':
        return undefined; // unreachable: parts are assembled in handle
    }
  }

  private async onHello(hello: Extract<SyncMessage, { kind: 'hello' }>): Promise<void> {
    if (hello.space !== this.space.name) {
      return this.fail(
        'protocol',
        `this session syncs space "${this.space.name}", not "${hello.space}"`,
      );
    }
    this.helloReceived = true;
    this.peerWantsAcks = hello.wantsAcks;
    // A hello states what the peer has now: a second one (after refusing a snapshot) resets.
    this.peerKnows = new Map(hello.vector);
    if (
      hello.wantsSnapshot &&
      hello.vector.size === 0 &&
      this.options.sendSnapshot !== false &&
      !this.space.isEmpty()
    ) {
      await this.space.flush(); // a snapshot, like a run, leaves only once durable
      if (this.closed) return;
      const { snapshot, vector } = this.space.snapshotForPeer();
      this.send({ kind: 'snapshot', snapshot });
      this.peerKnows = vvMerge(this.peerKnows, vector);
    }
    return this.push();
  }

  private onChanges(runs: readonly Run[]): void {
    if (this.options.acceptChanges === false) {
      this.fail('forbidden', 'this peer may only read this space');
      return;
    }
    for (const run of runs) this.learn(run.actor, runEnd(run));
    try {
      this.space.receiveSoon(runs);
    } catch (error) {
      this.failWith(error);
      return;
    }
    // The next messages are handled while these runs are written (group commit: one storage
    // batch for all); the ack waits for the write (see `written`).
    this.storePending = true;
  }

  private async onSnapshot(snapshot: Uint8Array): Promise<void> {
    if (this.options.acceptChanges === false) {
      return this.fail('forbidden', 'this peer may only read this space');
    }
    let adopted: VersionVector | undefined;
    this.adopting = true;
    try {
      adopted = await this.space.adoptSnapshot(snapshot);
    } catch (error) {
      return this.failWith(error);
    } finally {
      this.adopting = false;
    }
    // No longer empty (a write came first): ask for the history instead.
    if (!adopted) return this.hello(false);
    // The snapshot's vector, not the space's: writes made while it was stored must still go.
    this.peerKnows = vvMerge(this.peerKnows, adopted);
    if (this.peerWantsAcks) this.send({ kind: 'ack', vector: this.space.durableVersionVector() });
    return this.push();
  }

  /** Sends the peer every run it lacks; runs are durable here before they leave. */
  private push(): Promise<void> {
    if (!this.helloReceived || this.closed || this.adopting) return DONE;
    if (this.pushing) {
      this.pushAgain = true;
      return this.pushing;
    }
    // The peer has everything (as when it just sent us what is new): no round to make.
    if (this.space.isCoveredBy(this.peerKnows)) return DONE;
    // A change just made here: its write is scheduled (a commit schedules it after telling
    // its listeners), and the push goes once it lands, without a round of awaits.
    if (!this.space.ownChangesDurable()) {
      this.pushWhenWritten = true;
      return DONE;
    }
    // What it lacks is durable and in memory (a server relaying what it just received): sent
    // now, without a round of awaits.
    const inMemory = this.space.changesSinceInMemory(this.peerKnows);
    if (inMemory) {
      try {
        this.sendRuns(inMemory);
      } catch (error) {
        this.failWith(error); // (not thrown into the space's change listeners)
      }
      return DONE;
    }
    this.pushing = (async () => {
      try {
        do {
          this.pushAgain = false;
          if (!this.space.ownChangesDurable()) await this.space.flush();
          if (this.closed) return;
          let runs: Run[];
          try {
            runs = await this.space.changesSinceStored(this.peerKnows);
          } catch (error) {
            return this.failWith(error);
          }
          if (this.closed) return;
          // Own runs leave only once durable (one written during the awaits above waits for
          // the next round): a crash must not let this replica reuse seqs a peer has seen.
          const durableOwn = this.space.durableOwnSeq();
          const ready = runs.filter((r) => r.actor !== this.space.actor || runEnd(r) <= durableOwn);
          if (ready.length < runs.length) {
            runs = ready;
            this.pushAgain = true;
          }
          this.sendRuns(runs);
        } while (this.pushAgain && !this.closed);
      } finally {
        this.pushing = undefined;
      }
    })();
    return this.pushing;
  }

  private sendRuns(runs: readonly Run[]): void {
    for (const batch of batches(runs, this.options.batchRuns, this.options.batchBytes)) {
      this.sendFrames(changesFrames(batch, this.maxFrame));
      for (const run of batch) this.learn(run.actor, runEnd(run));
    }
  }

  private learn(actor: string, seq: number): void {
    if ((this.peerKnows.get(actor) ?? 0) < seq) this.peerKnows.set(actor, seq);
  }

  private get maxFrame(): number {
    return this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  private send(message: SyncMessage): void {
    this.sendFrames(encodeFrames(message, this.maxFrame));
  }

  private sendFrames(frames: readonly Uint8Array[]): void {
    if (this.closed) return;
    for (const frame of frames) this.transport.send(frame);
  }

  private failWith(error: unknown): void {
    const code = error instanceof WeftError ? error.code : 'internal';
    this.fail(code, (error as Error).message);
  }

  private fail(code: string, message: string): void {
    this.send({ kind: 'error', code, message });
    this.close(`${code}: ${message}`);
  }
}
