// 4. What one receiver does per change it gets, without sockets or processes: R receivers in
// this process are handed the same message one after another, as a relay delivers it, and
// the time is divided by R. Weft's receivers are real replicas (a SyncSession on an in-memory
// database: it decodes, verifies, applies and stores the change); Yjs's are Y.Docs reading the
// y-websocket sync message (y-protocols) with a map observer, as the fan-out's receivers do.
// The fan-out's latency to the last of N receivers is mostly N times this, plus sockets and
// GC; here the noise of both is left out. Paced (each write after a pause, so caches are cold,
// as in the fan-out) and back to back (hot).
import {
  type Collection,
  encodeMessage,
  newDocId,
  openDatabase,
  PROTOCOL_VERSION,
  type Space,
  SyncSession,
  type Transport,
} from '@weft/core';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { renderGrid } from '../lib/report.js';
import { median, type Stats, summarize } from '../lib/stats.js';
import { sleep } from './common.js';
import { payloadOf } from './peers.js';

export interface ReceiveConfig {
  readonly receivers: number;
  readonly pool: number;
  readonly payloadBytes: number;
  /** Measured writes per repetition and pace, after `warmupWrites` unmeasured ones. */
  readonly writes: number;
  readonly warmupWrites: number;
  /** The pause before each paced write. */
  readonly pauseMs: number;
  readonly reps: number;
}

type Pace = 'paced' | 'back to back';

export interface ReceiveRow {
  readonly system: 'weft' | 'yjs';
  readonly pace: Pace;
  /** Per receiver per change: handling the message (median over writes, then over reps). */
  readonly handleUs: Stats;
  /** Weft: writing it to storage, on the next turn (per receiver). */
  readonly storeUs?: Stats;
}

export interface ReceiveResult {
  readonly config: ReceiveConfig;
  readonly rows: readonly ReceiveRow[];
  /** Weft's whole cost per receiver (handle + store) ÷ Yjs's, by pace. */
  readonly ratios: readonly { readonly pace: Pace; readonly ratio: number }[];
}

/** One system's writer and receivers: `deliver` hands every receiver the next write's message. */
interface Receivers {
  /** Makes write n; resolves with its message, as a relay would send it. */
  write(n: number): Promise<Uint8Array>;
  /** Hands the message to every receiver; returns the µs per receiver, and the store's. */
  deliver(message: Uint8Array, n: number): Promise<{ handleUs: number; storeUs?: number }>;
}

async function weftReceivers(config: ReceiveConfig): Promise<Receivers> {
  const writerDb = await openDatabase();
  const writer = await writerDb.space('receive');
  const docs: Collection<{ text: string }> = writer.collection('docs');
  const ids = Array.from({ length: config.pool }, () => newDocId());
  await docs.insertMany(ids.map((id) => ({ id, text: payloadOf(0, config.payloadBytes) })));
  let sent = new Map<string, number>();
  const nextMessage = () => {
    const runs = writer.changesSince(sent);
    sent = writer.versionVector();
    return encodeMessage({ kind: 'changes', runs });
  };
  // A relay's hello: it asks for no acks, as the fan-out's server does.
  const hello = encodeMessage({
    kind: 'hello',
    protocol: PROTOCOL_VERSION,
    replica: 'relay',
    space: 'receive',
    heads: [],
    vector: new Map(),
    credentials: null,
    wantsSnapshot: false,
    wantsAcks: false,
  });
  const receivers: { receive: (bytes: Uint8Array) => void; space: Space; last: () => number }[] =
    [];
  for (let i = 0; i < config.receivers; i++) {
    const db = await openDatabase();
    const space = await db.space('receive');
    let receive: (bytes: Uint8Array) => void = () => {};
    const transport: Transport = {
      send: () => {},
      onMessage: (r) => {
        receive = r;
      },
      onClose: () => {},
      close: () => {},
    };
    new SyncSession(space, transport, db.replicaId).start();
    let last = 0;
    space.onChange(() => {
      last = space.latestSeq(writerDb.replicaId);
    });
    receivers.push({ receive: (bytes) => receive(bytes), space, last: () => last });
  }
  const initial = nextMessage();
  for (const r of receivers) {
    r.receive(hello);
    r.receive(initial);
  }
  await sleep(50);
  return {
    async write(n) {
      await docs.update(ids[n % ids.length]!, { text: payloadOf(n, config.payloadBytes) });
      return nextMessage();
    },
    async deliver(message) {
      const t0 = performance.now();
      for (const r of receivers) r.receive(message);
      const t1 = performance.now();
      await new Promise<void>((resolve) => setImmediate(resolve)); // their writes: next turn
      const t2 = performance.now();
      const want = writer.latestSeq(writerDb.replicaId);
      if (receivers.some((r) => r.last() !== want))
        throw new Error('a Weft receiver missed a change');
      const per = 1000 / receivers.length;
      return { handleUs: (t1 - t0) * per, storeUs: (t2 - t1) * per };
    },
  };
}

async function yjsReceivers(config: ReceiveConfig): Promise<Receivers> {
  const writer = new Y.Doc();
  const map = writer.getMap<string>('docs');
  let update: Uint8Array | undefined;
  writer.on('update', (u: Uint8Array) => {
    update = u;
  });
  for (let k = 0; k < config.pool; k++) map.set(`d${k}`, payloadOf(0, config.payloadBytes));
  const initial = Y.encodeStateAsUpdate(writer);
  const receivers: { receive: (bytes: Uint8Array) => void; last: () => number }[] = [];
  for (let i = 0; i < config.receivers; i++) {
    const doc = new Y.Doc();
    const own = doc.getMap<string>('docs');
    Y.applyUpdate(doc, initial);
    let last = 0;
    own.observe((event) => {
      for (const key of event.keysChanged) {
        const n = Number.parseInt(own.get(key) ?? '-1', 10);
        if (n > last) last = n;
      }
    });
    // What y-websocket's client does with a sync message (its reply, if any, is not sent).
    const receive = (bytes: Uint8Array) => {
      const decoder = decoding.createDecoder(bytes);
      const reply = encoding.createEncoder();
      if (decoding.readVarUint(decoder) !== 0) return;
      encoding.writeVarUint(reply, 0);
      syncProtocol.readSyncMessage(decoder, reply, doc, 'receive');
    };
    receivers.push({ receive, last: () => last });
  }
  return {
    async write(n) {
      map.set(`d${n % config.pool}`, payloadOf(n, config.payloadBytes));
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, 0);
      syncProtocol.writeUpdate(message, update!);
      return encoding.toUint8Array(message);
    },
    async deliver(message, n) {
      const t0 = performance.now();
      for (const r of receivers) r.receive(message);
      const t1 = performance.now();
      if (receivers.some((r) => r.last() !== n)) throw new Error('a Yjs receiver missed a change');
      return { handleUs: ((t1 - t0) * 1000) / receivers.length };
    },
  };
}

/** One repetition at one pace: median µs per receiver over the measured writes. */
async function rep(
  system: Receivers,
  config: ReceiveConfig,
  pace: Pace,
  first: number,
): Promise<{ handleUs: number; storeUs?: number }> {
  const handle: number[] = [];
  const store: number[] = [];
  const total = config.warmupWrites + config.writes;
  for (let k = 0; k < total; k++) {
    if (pace === 'paced') await sleep(config.pauseMs);
    const n = first + k;
    const message = await system.write(n);
    const sample = await system.deliver(message, n);
    if (k < config.warmupWrites) continue;
    handle.push(sample.handleUs);
    if (sample.storeUs !== undefined) store.push(sample.storeUs);
  }
  return { handleUs: median(handle), ...(store.length > 0 ? { storeUs: median(store) } : {}) };
}

/** Both systems set up side by side, taking turns a repetition at a time. */
export async function benchReceive(
  config: ReceiveConfig,
  progress: (line: string) => void,
): Promise<ReceiveResult> {
  const systems = { weft: await weftReceivers(config), yjs: await yjsReceivers(config) };
  const paces: Pace[] = ['paced', 'back to back'];
  const samples = new Map<string, { handle: number[]; store: number[] }>();
  const written = { weft: 0, yjs: 0 };
  for (let r = 0; r < config.reps; r++) {
    const order = (r % 2 === 0 ? ['weft', 'yjs'] : ['yjs', 'weft']) as ('weft' | 'yjs')[];
    for (const pace of paces) {
      for (const name of order) {
        const result = await rep(systems[name], config, pace, written[name] + 1);
        written[name] += config.warmupWrites + config.writes;
        const key = `${name}/${pace}`;
        const s = samples.get(key) ?? { handle: [], store: [] };
        s.handle.push(result.handleUs);
        if (result.storeUs !== undefined) s.store.push(result.storeUs);
        samples.set(key, s);
        progress(
          `   rep ${r + 1}/${config.reps}, ${name}, ${pace}: ${result.handleUs.toFixed(1)} µs per receiver` +
            (result.storeUs === undefined ? '' : ` + ${result.storeUs.toFixed(1)} µs storing`),
        );
      }
    }
  }
  const rows: ReceiveRow[] = [];
  for (const pace of paces) {
    for (const system of ['weft', 'yjs'] as const) {
      const s = samples.get(`${system}/${pace}`)!;
      rows.push({
        system,
        pace,
        handleUs: summarize(s.handle),
        ...(s.store.length > 0 ? { storeUs: summarize(s.store) } : {}),
      });
    }
  }
  const whole = (row: ReceiveRow) => row.handleUs.median + (row.storeUs?.median ?? 0);
  const ratios = paces.map((pace) => {
    const [w, y] = rows.filter((row) => row.pace === pace);
    return { pace, ratio: whole(w!) / whole(y!) };
  });
  return { config, rows, ratios };
}

const us = (s: Stats) => `${s.median.toFixed(1)} µs [${s.min.toFixed(1)} … ${s.max.toFixed(1)}]`;

export function renderReceive(r: ReceiveResult): string[] {
  const { config } = r;
  const byPace = (pace: Pace, system: 'weft' | 'yjs') =>
    r.rows.find((row) => row.pace === pace && row.system === system)!;
  return [
    `4. Receiving a change: ${config.receivers} receivers in one process, each handed the same message in turn (no sockets); time per receiver per change. Each write updates one of ${config.pool} docs / map keys to a ${config.payloadBytes}-byte string.`,
    '',
    renderGrid(
      ['pace', 'Weft: handle', 'Weft: store', 'Weft: total', 'Yjs: handle', 'Weft/Yjs'],
      r.ratios.map(({ pace, ratio }) => {
        const w = byPace(pace, 'weft');
        const y = byPace(pace, 'yjs');
        return [
          pace,
          us(w.handleUs),
          w.storeUs ? us(w.storeUs) : '-',
          `${(w.handleUs.median + (w.storeUs?.median ?? 0)).toFixed(1)} µs`,
          us(y.handleUs),
          `${ratio.toFixed(2)}x`,
        ];
      }),
    ),
    `    ${config.reps} reps of ${config.writes} writes (after ${config.warmupWrites} unmeasured), the systems taking turns; per rep the median over writes, then the median of reps [min … max]; paced: ${config.pauseMs} ms before each write, as the fan-out paces its writes (the caches go cold in between); back to back: no pause`,
    "    Weft: a real replica (SyncSession, in-memory database) decodes, verifies (SHA-256), checks and applies the change, then stores it on the next turn; Yjs: y-protocols reads y-websocket's sync message and applies the update to a Y.Doc, whose map observer reads the new value; no target in the issue: this is the fan-out's per-receiver share, measured apart",
  ];
}
