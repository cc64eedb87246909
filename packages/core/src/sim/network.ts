import type { Transport } from '../sync/transport.js';
import type { Prng } from './prng.js';

/**
 * Link faults, as chances per message the network handles (0 to 1), and delays in ticks.
 *
 * Sync sessions expect an ordered, reliable transport (a TCP or WebSocket connection), so a
 * fault shows itself to them as it would on a real one:
 * - `drop`: a message is lost and the link goes dead: everything in flight on it and sent
 *   later is lost too, until the dead link is noticed (`detect` ticks later, as a heartbeat
 *   would) and the connection closes at both ends;
 * - `disconnect`: the connection resets at once; what was in flight is lost;
 * - `duplicate`: the message arrives twice at the link; the stream delivers it once and then
 *   breaks (a stream never shows a duplicate to its reader);
 * - `reorder`: a later message overtakes this one; the stream breaks before either is
 *   delivered (a stream never shows a gap);
 * - `delay`: the message is held back up to `maxDelay` ticks (order on a connection is kept).
 * Sessions end on close; the simulator reconnects them later with a fresh session and hello.
 * (Runs duplicated, reordered and with gaps reach `space.receive` through the simulator's
 * direct feeds instead, where the change log must tolerate them.)
 */
export interface LinkFaults {
  readonly drop: number;
  readonly disconnect: number;
  readonly duplicate: number;
  readonly reorder: number;
  readonly delay: number;
  readonly maxDelay: number;
  readonly detect: number;
}

export const NO_LINK_FAULTS: LinkFaults = {
  drop: 0,
  disconnect: 0,
  duplicate: 0,
  reorder: 0,
  delay: 0,
  maxDelay: 0,
  detect: 1,
};

/** What the network did, for the report. */
export interface NetworkStats {
  connections: number;
  sent: number;
  delivered: number;
  /** Messages lost: dropped, or in flight on a link that broke, went dead or whose peer crashed. */
  lost: number;
  drops: number;
  disconnects: number;
  duplicated: number;
  reordered: number;
  delayed: number;
  deadLinks: number;
}

interface Message {
  readonly bytes: Uint8Array;
  readonly readyAt: number;
}

/** A message the network is about to deliver (what a `filter` hook sees). */
export interface MessageInfo {
  readonly from: number;
  readonly to: number;
  readonly bytes: Uint8Array;
}

type ConnectionState = 'open' | 'dead' | 'draining' | 'closed';

export class Connection {
  state: ConnectionState = 'open';
  /** For a dead link: the tick at which it is noticed and closed. */
  deadline = 0;
  /** queues[i]: messages travelling to ends[i]. */
  readonly queues: [Message[], Message[]] = [[], []];
  readonly ends: [SimTransport, SimTransport];
  closeReason = '';

  constructor(
    readonly id: number,
    readonly nodes: readonly [number, number],
    network: SimNetwork,
  ) {
    this.ends = [new SimTransport(this, 0, network), new SimTransport(this, 1, network)];
  }

  get live(): boolean {
    return this.state === 'open';
  }
}

/** One end of a simulated connection: a `Transport` whose messages go through the network. */
export class SimTransport implements Transport {
  receiver: ((message: Uint8Array) => void) | undefined;
  readonly closeListeners: ((reason: string) => void)[] = [];
  /** This end is gone: closed, or its process crashed. */
  gone = false;

  constructor(
    readonly connection: Connection,
    readonly side: 0 | 1,
    private readonly network: SimNetwork,
  ) {}

  send(message: Uint8Array): void {
    this.network.send(this, message);
  }

  onMessage(receive: (message: Uint8Array) => void): void {
    this.receiver = receive;
  }

  onClose(closed: (reason: string) => void): void {
    this.closeListeners.push(closed);
  }

  close(reason = 'closed'): void {
    this.network.close(this.connection, reason);
  }
}

/**
 * The simulated network: connections between replicas whose messages wait in per-direction
 * queues until the simulator delivers them, one at a time, in an order the PRNG picks (order
 * within one direction of one connection is kept, except for `reorder` faults). Time is
 * counted in ticks, which the simulator advances.
 */
export class SimNetwork {
  private readonly connections: Connection[] = [];
  private nextId = 1;
  now = 0;
  faults: LinkFaults = NO_LINK_FAULTS;
  /** Replicas on different sides of a partition cannot reach each other. */
  private sides: number[] = [];
  /** Test hook: returns false to lose a message silently (the connection stays up). */
  filter: ((message: MessageInfo) => boolean) | undefined;
  readonly stats: NetworkStats = {
    connections: 0,
    sent: 0,
    delivered: 0,
    lost: 0,
    drops: 0,
    disconnects: 0,
    duplicated: 0,
    reordered: 0,
    delayed: 0,
    deadLinks: 0,
  };

  constructor(private readonly rng: Prng) {}

  /** Opens a connection between replicas a and b: [a's end, b's end]. */
  connect(a: number, b: number): Connection {
    const c = new Connection(this.nextId++, [a, b], this);
    this.connections.push(c);
    this.stats.connections += 1;
    return c;
  }

  /** Connections not yet closed (closing one removes it from this list). */
  open(): readonly Connection[] {
    return this.connections;
  }

  reachable(a: number, b: number): boolean {
    return (this.sides[a] ?? 0) === (this.sides[b] ?? 0);
  }

  get partitioned(): boolean {
    return this.sides.some((s) => s !== this.sides[0]);
  }

  /** Splits replicas by side; connections across the split break (at once or once noticed). */
  partition(sides: number[]): void {
    this.sides = sides;
    for (const c of [...this.connections]) {
      if (this.reachable(c.nodes[0], c.nodes[1])) continue;
      if (this.rng.chance(0.5)) this.close(c, 'sim: partition');
      else this.kill(c);
    }
  }

  heal(): void {
    this.sides = [];
  }

  send(from: SimTransport, bytes: Uint8Array): void {
    const c = from.connection;
    if (from.gone || c.state === 'closed' || c.state === 'draining') return;
    this.stats.sent += 1;
    if (c.state === 'dead') {
      this.stats.lost += 1;
      return;
    }
    const f = this.faults;
    const queue = c.queues[from.side === 0 ? 1 : 0];
    let readyAt = this.now;
    if (f.delay > 0 && this.rng.chance(f.delay)) {
      readyAt += 1 + this.rng.int(Math.max(1, f.maxDelay));
      this.stats.delayed += 1;
    }
    queue.push({ bytes: bytes.slice(), readyAt });
  }

  /** Closes a connection: both ends hear of it (an end whose process crashed hears nothing). */
  close(c: Connection, reason: string): void {
    if (c.state === 'closed') return;
    c.state = 'closed';
    this.connections.splice(this.connections.indexOf(c), 1);
    c.closeReason = reason;
    this.loseQueued(c);
    for (const end of c.ends) {
      if (end.gone) continue;
      end.gone = true;
      for (const listener of end.closeListeners) listener(reason);
    }
  }

  /** The link goes dead: in-flight and later messages are lost until it is noticed. */
  kill(c: Connection): void {
    if (c.state !== 'open') return;
    c.state = 'dead';
    c.deadline = this.now + 1 + this.rng.int(Math.max(1, this.faults.detect));
    this.stats.deadLinks += 1;
    this.loseQueued(c);
  }

  /**
   * Replica `node`'s process crashed. Messages to it are lost; messages it had sent are still
   * in flight and may arrive (as on TCP, the peer's kernel delivers them before the close),
   * unless the connection resets; then its peers see the connection close.
   */
  crash(node: number): void {
    for (const c of [...this.connections]) {
      if (c.nodes[0] !== node && c.nodes[1] !== node) continue;
      const side = c.nodes[0] === node ? 0 : 1;
      c.ends[side].gone = true;
      this.stats.lost += c.queues[side].length;
      c.queues[side].length = 0;
      if (c.state === 'open' && this.rng.chance(0.5)) c.state = 'draining';
      else this.close(c, 'sim: peer crashed');
    }
  }

  /** Advances time: dead links are noticed, drained connections of crashed peers close. */
  tick(ticks = 1): void {
    this.now += ticks;
    for (const c of [...this.connections]) {
      if (c.state === 'dead' && c.deadline <= this.now) this.close(c, 'sim: dead link noticed');
      else if (c.state === 'draining' && c.queues.every((q) => q.length === 0))
        this.close(c, 'sim: peer crashed');
    }
  }

  /** Messages waiting anywhere. */
  get inFlight(): number {
    let n = 0;
    for (const c of this.open()) n += c.queues[0].length + c.queues[1].length;
    return n;
  }

  /**
   * Delivers one message (with faults), chosen at random among the connections whose next
   * message is due; `all` ignores delays. Returns false when nothing was due.
   */
  deliverOne(all = false): boolean {
    const due: [Connection, 0 | 1][] = [];
    for (const c of this.open()) {
      if (c.state === 'dead') continue;
      for (const side of [0, 1] as const) {
        const head = c.queues[side][0];
        if (head && (all || head.readyAt <= this.now)) due.push([c, side]);
      }
    }
    if (due.length === 0) return false;
    const [c, side] = this.rng.pick(due);
    const queue = c.queues[side];
    const fault = this.pickFault();
    if (fault === 'drop') {
      queue.shift();
      this.stats.drops += 1;
      this.stats.lost += 1;
      if (c.state === 'open') this.kill(c);
      return true;
    }
    if (fault === 'disconnect') {
      this.stats.disconnects += 1;
      this.close(c, 'sim: connection reset');
      return true;
    }
    if (fault === 'reorder' && queue.length >= 2) {
      this.stats.reordered += 1;
      this.close(c, 'sim: stream broken by reordering');
      return true;
    }
    const duplicated = fault === 'duplicate';
    const message = queue.shift()!;
    const to = c.ends[side];
    if (to.gone || !to.receiver) {
      this.stats.lost += 1;
      return true;
    }
    const info = { from: c.nodes[side === 0 ? 1 : 0], to: c.nodes[side], bytes: message.bytes };
    if (this.filter && !this.filter(info)) {
      this.stats.lost += 1;
      return true;
    }
    this.stats.delivered += 1;
    to.receiver(message.bytes.slice());
    if (duplicated) {
      this.stats.duplicated += 1;
      this.close(c, 'sim: stream broken by a duplicate');
      return true;
    }
    if (c.state === 'draining' && c.queues.every((q) => q.length === 0))
      this.close(c, 'sim: peer crashed');
    return true;
  }

  /** The fault that strikes the message being delivered, if any. */
  private pickFault(): 'drop' | 'disconnect' | 'reorder' | 'duplicate' | undefined {
    const f = this.faults;
    let roll = this.rng.next();
    for (const [fault, chance] of [
      ['drop', f.drop],
      ['disconnect', f.disconnect],
      ['reorder', f.reorder],
      ['duplicate', f.duplicate],
    ] as const) {
      if (roll < chance) return fault;
      roll -= chance;
    }
    return undefined;
  }

  private loseQueued(c: Connection): void {
    for (const q of c.queues) {
      this.stats.lost += q.length;
      q.length = 0;
    }
  }
}
