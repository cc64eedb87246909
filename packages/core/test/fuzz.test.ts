// Fuzzing every decoder: each input either decodes or throws DecodeError, never another
// exception, a hang, a huge allocation or a stack overflow. A state that decodes must survive a
// re-encode round trip unchanged, and pass the checks a valid state passes: a decoder that
// accepts an invalid state usually fails one of them. Decoded runs go into fresh change logs,
// which may only refuse them with ChangeRejectedError and must then be unchanged. Document
// changes, snapshots and space states come from real databases (inserts, nested updates,
// counter and set fields, deletes, concurrent edits exchanged between replicas); decodable
// mutations of a change are then sent to a space, which may only refuse them with a WeftError
// and must stay readable, writable and reopenable.
//
// Inputs: random bytes, random bytes behind a correct version and tag, and valid encodings of
// realistic states with bits flipped, bytes overwritten, ranges inserted, deleted or duplicated,
// truncated, and huge varints spliced in. Seeded as in helpers/property.ts: a failure prints the
// seed, the (shrunk) input as hex and the command that replays it; WEFT_LONG=1 runs 100x more.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from '../src/database/snapshot.js';
import { unpack } from '../src/document/apply.js';
import type { FieldKinds } from '../src/document/diff.js';
import {
  type DocNode,
  dotActor,
  dotCounter,
  isDocEmpty,
  isFieldEmpty,
  type ObjNode,
  type PackedDot,
  packDot,
} from '../src/document/node.js';
import type { DocEdit } from '../src/document/ops.js';
import { type ActorTable, decodeEdits, encodeEdits } from '../src/document/payload.js';
import { readConflicts, readDoc } from '../src/document/read.js';
import { encodeRunEdits, isContinuation, RunEditsReader } from '../src/document/run-edits.js';
import { SpaceState } from '../src/document/space-state.js';
import { readSpaceState, writeSpaceState } from '../src/document/state-codec.js';
import { formatVersion } from '../src/encoding/envelope.js';
import {
  type CausalContext,
  ChangeLog,
  ChangeRejectedError,
  type Collection,
  type CrdtType,
  causalCounterAdd,
  causalCounterStore,
  ctxEquals,
  ctxFromDots,
  DecodeError,
  decodeCausalContext,
  decodeEnvelope,
  decodeHlc,
  decodeRuns,
  decodeValue,
  decodeVersionVector,
  encodeCausalContext,
  encodeEnvelope,
  encodeHlc,
  encodeRuns,
  encodeValue,
  encodeVersionVector,
  GCounterType,
  GSetType,
  gCounterInc,
  gSetAdd,
  type Hlc,
  HybridClock,
  hlcEquals,
  InvalidValueError,
  keyToValue,
  LWWRegisterType,
  lwwRegisterSet,
  MemoryStorage,
  MVRegisterType,
  mvRegisterStore,
  mvRegisterWrite,
  ORSetType,
  openDatabase,
  orMapKeys,
  orMapKind,
  orMapRemove,
  orMapUpdate,
  orSetAdd,
  orSetRemove,
  orSetStore,
  orSetValues,
  PNCounterType,
  pnCounterAdd,
  type Run,
  type RunSummary,
  type Space,
  sealRun,
  storageKeys,
  Tag,
  TwoPSetType,
  twoPSetAdd,
  twoPSetRemove,
  twoPSetValues,
  type Value,
  type VersionVector,
  valueEquals,
  valueKey,
  vvEquals,
  WeftError,
  Writer,
} from '../src/index.js';
import { summaryRows, writeRunSummaries } from '../src/log/summary-codec.js';
import { Prng, withSeed } from './helpers/prng.js';
import { checkProperty, numRuns, seed } from './helpers/property.js';

const FILE = 'packages/core/test/fuzz.test.ts';
/** A single decode slower than this is a hang in the making. */
const SLOW_MS = 500;

// ---------------------------------------------------------------------------------------
// The decoders under test, each with a corpus of valid encodings built from the seed.

interface Family<T> {
  readonly name: string;
  readonly tag: number;
  /** The format version of its corpus and encoder, when not the current one (formatVersion). */
  readonly version?: number;
  decode(bytes: Uint8Array): T;
  encode(state: T): Uint8Array;
  equals(a: T, b: T): boolean;
  /** Valid encodings of realistic states. */
  corpus(rng: Prng): Uint8Array[];
  /** Checks beyond the round trip; throws if the decoded state is not a valid one. */
  check?(state: T): void;
}

/** A CRDT type as a family; decoded states must also obey join's laws against themselves. */
function crdtFamily<S>(
  type: CrdtType<S>,
  name: string,
  tag: number,
  states: (rng: Prng) => S[],
  check?: (state: S) => void,
): Family<S> {
  return {
    name,
    tag,
    decode: type.decode,
    encode: type.encode,
    equals: type.equals,
    corpus: (rng) => [type.empty(), ...states(rng)].map(type.encode),
    check(state) {
      if (!type.equals(type.join(state, state), state)) throw new Error('join is not idempotent');
      if (!type.equals(type.join(state, type.empty()), state)) {
        throw new Error('joining the empty state changes it');
      }
      check?.(state);
    },
  };
}

const ACTORS = ['alice', 'bob', 'carol', 'd', 'ünïcødé-😀', 'x'.repeat(256)];
const KEYS = ['', 'a', 'b', 'title', 'ü', '__proto__'];

function pickActors(rng: Prng): string[] {
  return rng.shuffle([...ACTORS]).slice(0, 1 + rng.int(3));
}

function randomInt(rng: Prng): number {
  return rng.pick([0, 1, -1, 63, 64, -65, 127, 128, 2 ** 52 - 1, -(2 ** 52 - 1), rng.int(2 ** 31)]);
}

function randomFloat(rng: Prng): number {
  return rng.pick([0.5, -0, Number.NaN, Infinity, -Infinity, 1e300, 5e-324, 2 ** 52, rng.next()]);
}

function randomString(rng: Prng): string {
  if (rng.chance(0.7)) return rng.pick(['', 'a', 'hello', 'ünï', '日本語', '😀', '__proto__']);
  let s = '';
  for (let n = rng.int(40); n > 0; n--) s += String.fromCharCode(32 + rng.int(95));
  return s;
}

function nested(depth: number, inner: Value): Value {
  let v = inner;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function randomValue(rng: Prng, depth = 0): Value {
  if (depth === 0 && rng.chance(0.02)) return nested(64, null); // as deep as a value may be
  switch (rng.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return randomInt(rng);
    case 3:
      return randomFloat(rng);
    case 4:
      return randomString(rng);
    case 5:
      return rng.bytes(rng.int(8));
    case 6:
    case 7:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(4) }, () => [randomString(rng), randomValue(rng, depth + 1)]),
      );
  }
}

/**
 * Replicas apply random delta mutations and receive each other's deltas out of order, so
 * states hold concurrent values and causal contexts with gaps. Returns the replicas' states
 * and a few deltas.
 */
function simulate<S>(rng: Prng, type: CrdtType<S>, op: (state: S, actor: string) => S): S[] {
  const actors = pickActors(rng);
  const states = actors.map(() => type.empty());
  const deltas: S[] = [];
  for (let step = rng.int(16); step > 0; step--) {
    const r = rng.int(actors.length);
    if (deltas.length > 0 && rng.chance(0.3)) {
      states[r] = type.join(states[r]!, rng.pick(deltas));
    } else {
      const delta = op(states[r]!, actors[r]!);
      deltas.push(delta);
      states[r] = type.join(states[r]!, delta);
    }
  }
  return [...states, ...rng.shuffle(deltas).slice(0, 2)];
}

function simulations<S>(
  rng: Prng,
  type: CrdtType<S>,
  makeOp: (rng: Prng) => (state: S, actor: string) => S,
): S[] {
  const out: S[] = [];
  for (let i = 0; i < 12; i++) out.push(...simulate(rng, type, makeOp(rng)));
  return out;
}

/** A clock per actor on one fake wall time that sometimes goes back. */
function clocks(rng: Prng, start: number): (actor: string) => HybridClock {
  let time = start;
  const byActor = new Map<string, HybridClock>();
  return (actor) => {
    let clock = byActor.get(actor);
    if (!clock) {
      clock = new HybridClock(actor, { now: () => (time += rng.int(5) - 1) });
      byActor.set(actor, clock);
    }
    return clock;
  };
}

const amount = (rng: Prng) => rng.pick([1, 2, 127, 128, rng.int(1000), 2 ** 40]);
const signedAmount = (rng: Prng) => (rng.chance(0.5) ? amount(rng) : -amount(rng));

const innerMap = orMapKind(mvRegisterStore);
const mapOfMaps = orMapKind(innerMap.store);
const mapOfSets = orMapKind(orSetStore);
const mapOfCounters = orMapKind(causalCounterStore);

/** An OR-set's keys are the canonical encodings of its elements. */
function checkElementKeys(keys: Iterable<string>): void {
  for (const key of keys) {
    if (valueKey(keyToValue(key)) !== key) throw new Error('element key is not canonical');
  }
}

const valueFamily: Family<Value> = {
  name: 'Value',
  tag: Tag.value,
  decode: decodeValue,
  encode: encodeValue,
  equals: valueEquals,
  corpus: (rng) => Array.from({ length: 60 }, () => encodeValue(randomValue(rng))),
};

const versionVectorFamily: Family<VersionVector> = {
  name: 'VersionVector',
  tag: Tag.versionVector,
  decode: decodeVersionVector,
  encode: encodeVersionVector,
  equals: vvEquals,
  corpus: (rng) =>
    Array.from({ length: 40 }, () => {
      const vv: VersionVector = new Map();
      for (const a of pickActors(rng))
        vv.set(a, rng.pick([1, 2, 200, 2 ** 53 - 1, 1 + rng.int(99)]));
      return encodeVersionVector(vv);
    }),
};

const causalContextFamily: Family<CausalContext> = {
  name: 'CausalContext',
  tag: Tag.causalContext,
  decode: decodeCausalContext,
  encode: encodeCausalContext,
  equals: ctxEquals,
  corpus: (rng) =>
    Array.from({ length: 40 }, () => {
      const actors = pickActors(rng);
      const dots = Array.from({ length: rng.int(12) }, () => ({
        actor: rng.pick(actors),
        counter: 1 + rng.int(rng.chance(0.1) ? 2 ** 40 : 20),
      }));
      return encodeCausalContext(ctxFromDots(dots));
    }),
};

const hlcFamily: Family<Hlc> = {
  name: 'Hlc',
  tag: Tag.hlc,
  decode: decodeHlc,
  encode: encodeHlc,
  equals: hlcEquals,
  corpus: (rng) => {
    const clockOf = clocks(rng, rng.pick([0, 1_700_000_000_000, 2 ** 53 - 1000]));
    const stamps: Hlc[] = [{ wall: 2 ** 53 - 1, logical: 2 ** 31 - 1, actor: 'a' }];
    for (let i = 0; i < 40; i++) stamps.push(clockOf(rng.pick(ACTORS)).now());
    return stamps.map(encodeHlc);
  },
};

const runsFamily: Family<Run[]> = {
  name: 'Runs',
  tag: Tag.runs,
  decode: decodeRuns,
  encode: encodeRuns,
  equals: runsEqual,
  corpus: runsCorpus,
  check: checkRuns,
};

/** A decoded document change, with the actor table its packed dots index into. */
interface Edits {
  readonly edits: DocEdit[];
  readonly actors: ActorTable;
}

const docChangeFamily: Family<Edits> = {
  name: 'DocChange',
  tag: Tag.docChange,
  decode(bytes) {
    const actors = new SpaceState();
    return { edits: decodeEdits(bytes, actors), actors };
  },
  encode: ({ edits, actors }) => encodeEdits(edits, actors),
  equals: (a, b) => describeEdits(a) === describeEdits(b),
  // Changes in full (a continuation only decodes after the change before it in its run).
  corpus: () => dbCorpus.payloads.filter((p) => !isContinuation(p)),
};

/** A run's payloads decoded in order, each with its form (continuation or in full). */
interface RunEdits {
  readonly runs: readonly Run[];
  readonly changes: readonly { readonly edits: DocEdit[]; readonly next: boolean }[][];
  readonly actors: SpaceState;
}

/**
 * The payloads of whole runs, where typing is written as continuations (Tag.docChangeNext)
 * that refer back to the change before them: decoded in order; re-encoded in the same forms,
 * the runs (same fields and hash) must come out as the same bytes.
 */
const docChangeRunsFamily: Family<RunEdits> = {
  name: 'DocChange runs',
  tag: Tag.runs,
  decode(bytes) {
    const runs = decodeRuns(bytes);
    const actors = new SpaceState();
    const changes = runs.map((run) => {
      const reader = new RunEditsReader(run.actor, actors);
      return run.changes.map((c) => ({
        edits: reader.next(c.payload),
        next: isContinuation(c.payload),
      }));
    });
    return { runs, changes, actors };
  },
  encode({ runs, changes, actors }) {
    const scratch = new Writer();
    return encodeRuns(
      runs.map((run, i) => {
        const payloads = encodeRunEdits(run.actor, changes[i]!, actors, scratch);
        return {
          actor: run.actor,
          seq: run.seq,
          deps: run.deps,
          hash: run.hash,
          changes: run.changes.map((c, j) => ({
            wall: c.wall,
            logical: c.logical,
            payload: payloads[j]!,
          })),
        };
      }),
    );
  },
  equals: (a, b) => describeRunEdits(a) === describeRunEdits(b),
  corpus: () => dbCorpus.typedRuns,
};

function describeRunEdits({ runs, changes, actors }: RunEdits): string {
  return JSON.stringify(
    runs.map((run, i) => [
      run.actor,
      run.seq,
      run.deps,
      run.hash,
      run.changes.map((c, j) => [
        c.wall,
        c.logical,
        changes[i]![j]!.next,
        describeEdits({ edits: changes[i]![j]!.edits, actors }),
      ]),
    ]),
  );
}

const snapshotFamily: Family<Snapshot> = {
  name: 'Snapshot',
  tag: Tag.snapshot,
  decode: decodeSnapshot,
  encode: encodeSnapshot,
  equals: (a, b) => describeSnapshot(a) === describeSnapshot(b),
  corpus: () => dbCorpus.snapshots,
  check: checkSnapshot,
};

const spaceStateFamily: Family<SpaceState> = {
  name: 'SpaceState',
  tag: Tag.spaceState,
  decode: decodeSpaceState,
  encode: encodeSpaceState,
  equals: (a, b) => describeState(a) === describeState(b),
  corpus: () => dbCorpus.states,
  check: checkSpaceState,
};

/** Snapshots and space states in format version 1 (before counter and set stamps) still read. */
const legacySnapshotFamily: Family<Snapshot> = {
  ...snapshotFamily,
  name: 'Snapshot v1',
  version: 1,
  encode: encodeSnapshotV1,
  corpus: () =>
    dbCorpus.snapshots.map((bytes) => {
      const snapshot = decodeSnapshot(bytes);
      return encodeSnapshotV1({ ...snapshot, state: withoutSequences(snapshot.state) });
    }),
};

/** The state with its text and list fields taken out (format 1 predates them). */
function withoutSequences(state: SpaceState): SpaceState {
  const strip = (obj: ObjNode): void => {
    for (const [key, f] of obj) {
      f.seq = [];
      if (f.obj) {
        strip(f.obj);
        if (f.obj.size === 0) f.obj = undefined;
      }
      if (isFieldEmpty(f)) obj.delete(key);
    }
  };
  for (const docs of state.collections.values()) {
    for (const [id, node] of docs) {
      if (node.packed) continue;
      strip(node.root);
      if (isDocEmpty(node)) docs.delete(id);
    }
  }
  return state;
}

const legacySpaceStateFamily: Family<SpaceState> = {
  ...spaceStateFamily,
  name: 'SpaceState v1',
  version: 1,
  encode: encodeSpaceStateV1,
  corpus: () =>
    dbCorpus.states.map((bytes) => encodeSpaceStateV1(withoutSequences(decodeSpaceState(bytes)))),
};

const families = [
  valueFamily,
  versionVectorFamily,
  causalContextFamily,
  hlcFamily,
  crdtFamily(GCounterType, 'GCounter', Tag.gCounter, (rng) =>
    simulations(rng, GCounterType, (rng) => (s, a) => gCounterInc(s, a, amount(rng))),
  ),
  crdtFamily(PNCounterType, 'PNCounter', Tag.pnCounter, (rng) =>
    simulations(rng, PNCounterType, (rng) => (s, a) => pnCounterAdd(s, a, signedAmount(rng))),
  ),
  crdtFamily(LWWRegisterType, 'LWWRegister', Tag.lwwRegister, (rng) =>
    simulations(rng, LWWRegisterType, (rng) => {
      const clockOf = clocks(rng, rng.pick([0, 1_700_000_000_000, 2 ** 53 - 1000]));
      return (s, a) => lwwRegisterSet(s, randomValue(rng), clockOf(a).now());
    }),
  ),
  crdtFamily(MVRegisterType, 'MVRegister', Tag.mvRegister, (rng) =>
    simulations(rng, MVRegisterType, (rng) => (s, a) => mvRegisterWrite(s, a, randomValue(rng))),
  ),
  crdtFamily(GSetType, 'GSet', Tag.gSet, (rng) =>
    simulations(rng, GSetType, (rng) => (s) => gSetAdd(s, randomValue(rng))),
  ),
  crdtFamily(TwoPSetType, 'TwoPSet', Tag.twoPSet, (rng) =>
    simulations(rng, TwoPSetType, (rng) => (s) => {
      const present = twoPSetValues(s);
      if (present.length > 0 && rng.chance(0.4)) return twoPSetRemove(s, rng.pick(present));
      return twoPSetAdd(s, randomValue(rng));
    }),
  ),
  crdtFamily(
    ORSetType,
    'ORSet',
    Tag.orSet,
    (rng) =>
      simulations(rng, ORSetType, (rng) => (s, a) => {
        const present = orSetValues(s);
        if (present.length > 0 && rng.chance(0.4)) return orSetRemove(s, rng.pick(present));
        return orSetAdd(s, a, randomValue(rng));
      }),
    (state) => checkElementKeys(state.store.keys()),
  ),
  crdtFamily(mapOfMaps.type, 'ORMap of ORMap of MVRegister', Tag.orMap, (rng) =>
    simulations(rng, mapOfMaps.type, (rng) => (s, a) => {
      const keys = orMapKeys(s);
      if (keys.length > 0 && rng.chance(0.2)) return orMapRemove(mapOfMaps, s, rng.pick(keys));
      return orMapUpdate(mapOfMaps, s, rng.pick(KEYS), (inner) => {
        const innerKeys = orMapKeys(inner);
        if (innerKeys.length > 0 && rng.chance(0.2)) {
          return orMapRemove(innerMap, inner, rng.pick(innerKeys));
        }
        return orMapUpdate(innerMap, inner, rng.pick(KEYS), (register) =>
          mvRegisterWrite(register, a, randomValue(rng)),
        );
      });
    }),
  ),
  crdtFamily(
    mapOfSets.type,
    'ORMap of ORSet',
    Tag.orMap,
    (rng) =>
      simulations(rng, mapOfSets.type, (rng) => (s, a) => {
        const keys = orMapKeys(s);
        if (keys.length > 0 && rng.chance(0.2)) return orMapRemove(mapOfSets, s, rng.pick(keys));
        return orMapUpdate(mapOfSets, s, rng.pick(KEYS), (set) => {
          const present = orSetValues(set);
          if (present.length > 0 && rng.chance(0.3)) return orSetRemove(set, rng.pick(present));
          return orSetAdd(set, a, randomValue(rng));
        });
      }),
    (state) => {
      for (const set of state.store.values()) checkElementKeys(set.keys());
    },
  ),
  crdtFamily(mapOfCounters.type, 'ORMap of CausalCounter', Tag.orMap, (rng) =>
    simulations(rng, mapOfCounters.type, (rng) => (s, a) => {
      const keys = orMapKeys(s);
      if (keys.length > 0 && rng.chance(0.2)) return orMapRemove(mapOfCounters, s, rng.pick(keys));
      return orMapUpdate(mapOfCounters, s, rng.pick(KEYS), (counter) =>
        causalCounterAdd(counter, a, signedAmount(rng)),
      );
    }),
  ),
  runsFamily,
  docChangeFamily,
  docChangeRunsFamily,
  snapshotFamily,
  spaceStateFamily,
  legacySnapshotFamily,
  legacySpaceStateFamily,
] as Family<unknown>[];

// ---------------------------------------------------------------------------------------
// Runs: decoded runs go into fresh change logs.

/** Logs of several actors that write and sync: their runs, whole and in part, encoded. */
function runsCorpus(rng: Prng): Uint8Array[] {
  const out: Uint8Array[] = [encodeRuns([])];
  for (let round = 0; round < 8; round++) {
    const clockOf = clocks(rng, rng.pick([0, 1_700_000_000_000]));
    const replicas = pickActors(rng).map((actor) => ({
      clock: clockOf(actor),
      log: new ChangeLog(actor),
    }));
    for (let step = rng.int(25); step > 0; step--) {
      const a = rng.pick(replicas);
      if (rng.chance(0.25)) {
        const b = rng.pick(replicas);
        for (const run of a.log.changesSince(b.log.versionVector())) b.log.add(run);
      } else {
        const size = rng.pick([0, 1, 2, 4, 12, 300]);
        a.log.append(a.clock.now(), rng.bytes(rng.int(size + 1)));
      }
    }
    for (const { log } of replicas) {
      out.push(encodeRuns(log.runs()));
      out.push(encodeRuns(log.changesSince(rng.pick(replicas).log.versionVector())));
    }
  }
  return out;
}

function runsEqual(a: readonly Run[], b: readonly Run[]): boolean {
  return a.length === b.length && a.every((run, i) => runEqual(run, b[i]!));
}

function runEqual(a: Run, b: Run): boolean {
  return (
    a.actor === b.actor &&
    a.seq === b.seq &&
    a.hash === b.hash &&
    a.deps.length === b.deps.length &&
    a.deps.every((d, i) => d === b.deps[i]) &&
    a.changes.length === b.changes.length &&
    a.changes.every((c, i) => {
      const d = b.changes[i]!;
      return c.wall === d.wall && c.logical === d.logical && valueEquals(c.payload, d.payload);
    })
  );
}

function logSnapshot(log: ChangeLog, pending = log.pendingCount): string {
  return JSON.stringify({
    heads: log.getHeads(),
    vv: [...log.versionVector()].sort(),
    runs: log.runCount,
    pending,
  });
}

/** Adds each run; a throw must be a ChangeRejectedError that left the log as it was. */
function addAll(log: ChangeLog, runs: readonly Run[]): void {
  for (const run of runs) {
    const before = logSnapshot(log);
    try {
      log.add(run);
    } catch (error) {
      if (!(error instanceof ChangeRejectedError)) {
        throw new Error(`ChangeLog.add threw ${describeError(error)}`, { cause: error });
      }
      if (logSnapshot(log) !== before) {
        throw new Error(`ChangeLog.add refused a run (${error.message}) but changed the log`);
      }
    }
  }
}

/** How many decoded runs the logs took in; the sanity test checks that some were. */
let runsAccepted = 0;

function checkRuns(runs: Run[]): void {
  // A change's stamp is an HLC of the run's actor: the HLC codec must carry it.
  for (const run of runs) {
    for (const { wall, logical } of run.changes) {
      decodeHlc(encodeHlc({ wall, logical, actor: run.actor }));
    }
  }
  // As decoded (mutated content no longer matches its hash: bad-hash), and resealed, so that
  // the hash matches and the structural and causal rules decide.
  const resealed = runs.map(({ actor, seq, deps, changes }) =>
    sealRun({ actor, seq, deps, changes }),
  );
  for (const batch of [runs, resealed]) {
    const log = new ChangeLog();
    addAll(log, batch);
    runsAccepted += log.runCount;
    // What a log accepted is a valid history: it travels and replays into a fresh log.
    const replay = new ChangeLog();
    for (const run of decodeRuns(encodeRuns(log.runs()))) replay.add(run);
    if (logSnapshot(replay) !== logSnapshot(log, 0)) {
      throw new Error('the runs a log accepted replay into a different log');
    }
  }
}

// ---------------------------------------------------------------------------------------
// Documents: changes, snapshots and space states from real databases.

const DOC_FIELDS: FieldKinds = {
  votes: 'counter',
  tags: 'set',
  'meta.labels': 'set',
  body: 'text',
  items: 'list',
};
const DOC_INDEXES = [['title'], ['votes'], ['meta.n']];
// Not `__proto__`: a patch that adds a field of that name sets the merged object's prototype
// instead (mergePatch in collection.ts assigns it); documents and drafts may hold one.
const PATCH_KEYS = KEYS.filter((k) => k !== '__proto__');
const DOC_IDS = ['a', 'b', 'c', 'd', 'ü', '__proto__', 'x'.repeat(40)];

/** The collections of the databases below, with their field kinds and indexes. */
function collectionsOf(space: Space): Collection<Record<string, Value>>[] {
  return [
    space.collection<Record<string, Value>>('docs', { fields: DOC_FIELDS, indexes: DOC_INDEXES }),
    space.collection<Record<string, Value>>('notes'),
  ];
}

/** A run of a space's log, with the runs before it (a valid history to receive it after). */
interface RunContext {
  readonly before: readonly Run[];
  readonly run: Run;
}

interface DatabaseCorpus {
  readonly payloads: Uint8Array[];
  readonly snapshots: Uint8Array[];
  readonly states: Uint8Array[];
  readonly contexts: RunContext[];
  /** Runs with continuations (typing), encoded one by one and a few together. */
  readonly typedRuns: Uint8Array[];
}

/** A field path `depth` long: the field holds objects `depth - 1` deep around `leaf`. */
function nestedObject(depth: number, leaf: Value): Value {
  let v = leaf;
  for (let i = 1; i < depth; i++) v = { k: v };
  return v;
}

function randomFields(rng: Prng): Record<string, Value> {
  const doc: Record<string, Value> = {
    title: randomString(rng),
    votes: rng.int(3) === 0 ? signedAmount(rng) : rng.int(10),
    tags: Array.from({ length: rng.int(4) }, () => randomValue(rng)),
    body: randomString(rng),
    items: Array.from({ length: rng.int(3) }, () => randomValue(rng)),
    meta: {
      n: randomInt(rng),
      labels: Array.from({ length: rng.int(3) }, () => rng.pick(KEYS)),
      nested: randomValue(rng),
    },
  };
  // As deep as a document may nest (diff.ts refuses deeper).
  if (rng.chance(0.02)) doc.deep = nestedObject(32, rng.pick([1, 'leaf', null]));
  // A computed key defines the field, even `__proto__` (assigning it would set the prototype).
  return rng.chance(0.3) ? { ...doc, [rng.pick(KEYS)]: randomValue(rng) } : doc;
}

/** One write inside a transaction: insert, put, patch, draft edit or delete. */
function randomWrite(rng: Prng, collection: Collection<Record<string, Value>>): void {
  const existing = collection.find().map((d) => d.id);
  const id = rng.pick(DOC_IDS);
  const target = existing.length > 0 && rng.chance(0.7) ? rng.pick(existing) : undefined;
  // Inside a transaction writes throw synchronously; their promises reject with the transaction.
  const write = (run: () => Promise<unknown>) => void run();
  if (!target) {
    write(() =>
      existing.includes(id)
        ? collection.put({ ...randomFields(rng), id })
        : collection.insert({ ...randomFields(rng), id }),
    );
    return;
  }
  switch (rng.int(7)) {
    case 0:
      write(() => collection.delete(target));
      return;
    case 6: {
      // Text and list edits (in the collection that declares them).
      const doc = collection.get(target) as { body?: unknown; items?: unknown } | undefined;
      if (doc && typeof doc.body === 'string' && Array.isArray(doc.items)) {
        const at = rng.int(doc.body.length + 1);
        write(() => collection.spliceText(target, 'body', at, rng.int(3), randomString(rng)));
        const i = rng.int(doc.items.length + 1);
        write(() => collection.spliceList(target, 'items', i, rng.int(2), [randomValue(rng)]));
      }
      return;
    }
    case 1:
      write(() => collection.put({ ...randomFields(rng), id: target }));
      return;
    case 2: // nested patch: merges into meta, or removes fields
      write(() =>
        collection.update(target, {
          meta: { n: randomInt(rng), [rng.pick(PATCH_KEYS)]: randomValue(rng) },
          ...(rng.chance(0.3) ? { title: undefined } : { title: randomString(rng) }),
        }),
      );
      return;
    case 3: // a field that changes kind: object, register, gone
      write(() =>
        collection.update(target, {
          [rng.pick(['meta', 'title', 'extra'])]: rng.chance(0.5) ? randomValue(rng) : undefined,
        }),
      );
      return;
    default: // counters and sets
      write(() =>
        collection.update(target, (d) => {
          const votes = (d as Record<string, Value>).votes;
          (d as Record<string, Value>).votes =
            (typeof votes === 'number' && Number.isSafeInteger(votes) ? votes : 0) +
            signedAmount(rng);
          const tags = (d as Record<string, Value>).tags;
          (d as Record<string, Value>).tags = [
            ...(Array.isArray(tags) ? tags.filter(() => rng.chance(0.6)) : []),
            ...Array.from({ length: rng.int(3) }, () => randomValue(rng)),
          ];
        }),
      );
  }
}

/**
 * Replicas write transactions of several writes and exchange changes at random, on memory
 * storage with a tiny snapshot threshold. Returns every change payload of their logs, the
 * snapshots they stored along the way (and their states as bare space states), and each run
 * with the history before it.
 */
async function databaseCorpus(rng: Prng): Promise<DatabaseCorpus> {
  const payloads = new Map<string, Uint8Array>();
  const snapshots = new Map<string, Uint8Array>();
  const contexts: RunContext[] = [];
  for (let round = 0; round < 6; round++) {
    let time = 1_700_000_000_000 + round * 1_000_000;
    const now = () => (time += rng.int(3));
    const actors = pickActors(rng);
    if (actors.length === 1) actors.push(actors[0] === 'bob' ? 'alice' : 'bob');
    const replicas = await Promise.all(
      actors.map(async (actor) => {
        const storage = new MemoryStorage();
        const persist = { snapshotMinBytes: rng.pick([64, 512, 4096]) };
        const space = await (await openDatabase({ storage, actor, now, persist })).space('s');
        return { storage, space };
      }),
    );
    const keepSnapshot = async ({ storage, space }: (typeof replicas)[number]) => {
      await space.flush();
      const bytes = await storage.get(storageKeys.snapshot('s'));
      if (bytes) snapshots.set(hex(bytes), bytes);
    };
    for (let step = 0; step < 30; step++) {
      const a = rng.pick(replicas);
      if (rng.chance(0.25)) {
        const b = rng.pick(replicas);
        await b.space.receive(a.space.changesSince(b.space.versionVector()));
      } else if (rng.chance(0.3)) {
        await typing(rng, collectionsOf(a.space)[0]!);
      } else {
        const collections = collectionsOf(a.space);
        try {
          await a.space.transact(() => {
            for (let n = 1 + rng.int(3); n > 0; n--) randomWrite(rng, rng.pick(collections));
          });
        } catch (error) {
          if (!(error instanceof WeftError)) throw error;
        }
      }
      if (rng.chance(0.2)) await keepSnapshot(a);
    }
    for (const replica of replicas) {
      await keepSnapshot(replica);
      const runs = replica.space.changesSince(new Map());
      runs.forEach((run, i) => {
        for (const c of run.changes) payloads.set(hex(c.payload), c.payload);
        contexts.push({ before: runs.slice(0, i), run });
      });
    }
  }
  const snapshotList = [...snapshots.values()];
  const typed = contexts
    .map((c) => c.run)
    .filter((r) => r.changes.some((c) => isContinuation(c.payload)));
  if (typed.length === 0) throw new Error('the corpus holds no run with a continuation');
  return {
    payloads: [...payloads.values()],
    snapshots: snapshotList,
    states: snapshotList.map((bytes) => encodeSpaceState(decodeSnapshot(bytes).state)),
    contexts,
    typedRuns: [...typed.map((r) => encodeRuns([r])), encodeRuns(typed.slice(0, 4))],
  };
}

/**
 * Splices typed in one tick outside transactions (the space writes all but the first of a run
 * as continuations): on at a cursor, backspaces, elsewhere, and now and then a list splice.
 */
async function typing(rng: Prng, collection: Collection<Record<string, Value>>): Promise<void> {
  const docs = collection.find().filter((d) => typeof d.body === 'string');
  if (docs.length === 0) return;
  const id = rng.pick(docs).id as string;
  const done: Promise<unknown>[] = [];
  let cursor = rng.int((docs.find((d) => d.id === id)!.body as string).length + 1);
  for (let n = 1 + rng.int(12); n > 0; n--) {
    const body = collection.get(id)?.body;
    if (typeof body !== 'string') break;
    cursor = Math.min(cursor, body.length);
    const r = rng.int(8);
    if (r < 4) {
      const text = rng.pick(['a', 'b', ' ', '😀', 'é', randomString(rng)]);
      done.push(collection.spliceText(id, 'body', cursor, 0, text));
      cursor += text.length;
    } else if (r < 6 && cursor > 0) {
      done.push(collection.spliceText(id, 'body', cursor - 1, 1, ''));
      cursor -= 1;
    } else if (r === 6) {
      cursor = rng.int(body.length + 1);
      done.push(collection.spliceText(id, 'body', cursor, rng.int(3), rng.pick(['', 'xy'])));
    } else {
      done.push(collection.spliceList(id, 'items', 0, 0, [randomValue(rng)]));
    }
  }
  // Some splices are refused (a position inside a surrogate pair): nothing changes for them.
  await Promise.allSettled(done);
}

function decodeSpaceState(bytes: Uint8Array): SpaceState {
  return decodeEnvelope(bytes, Tag.spaceState, readSpaceState);
}

function encodeSpaceState(state: SpaceState): Uint8Array {
  return encodeEnvelope(Tag.spaceState, (w) => writeSpaceState(w, state));
}

/** An envelope in format version 1 (this build writes the current version only). */
function asVersion1(bytes: Uint8Array): Uint8Array {
  bytes[0] = 1;
  return bytes;
}

function encodeSpaceStateV1(state: SpaceState): Uint8Array {
  return asVersion1(encodeEnvelope(Tag.spaceState, (w) => writeSpaceState(w, state, 1)));
}

function encodeSnapshotV1(snapshot: Snapshot): Uint8Array {
  return asVersion1(
    encodeEnvelope(Tag.snapshot, (w) => {
      w.varuint(snapshot.ordinal);
      writeRunSummaries(w, summaryRows(snapshot.summaries));
      writeSpaceState(w, snapshot.state, 1);
    }),
  );
}

/** A dot by actor id (indexes depend on the table a decode filled). */
const dotName = (actors: ActorTable) => (dot: PackedDot) =>
  `${actors.name(dotActor(dot))}:${dotCounter(dot)}`;

/** Edits as comparable text: dots by actor id, values by their canonical key. */
function describeEdits({ edits, actors }: Edits): string {
  const dot = dotName(actors);
  return JSON.stringify(
    edits.map((e) => [
      e.collection,
      e.id,
      e.ops.map((op) => [
        op.kind,
        'path' in op ? op.path : null,
        'value' in op ? valueKey(op.value) : null,
        op.kind === 'count' ? [op.inc, op.dec] : null,
        'initial' in op ? JSON.stringify(op.initial) : null,
        'edits' in op ? [dot(op.target), JSON.stringify(op.edits)] : null,
        op.covers.map(dot),
      ]),
    ]),
  );
}

/** A space state as comparable text. An empty part of a field counts as absent. */
function describeState(state: SpaceState): string {
  const dot = dotName(state);
  // (Fields by key: a document kept packed unpacks its fields in key order.)
  const obj = (o: ObjNode): unknown =>
    [...o]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, f]) => [
        key,
        f.reg.map((e) => [dot(e.dot), e.wall, e.logical, valueKey(e.value)]),
        f.obj?.size ? obj(f.obj) : null,
        f.ctr.map((e) => [dot(e.dot), e.wall, e.logical, e.inc, e.dec]),
        f.set?.size
          ? [...f.set].map(([k, e]) => [
              k,
              valueKey(e.value),
              e.adds.map((a) => [dot(a.dot), a.wall, a.logical]),
            ])
          : null,
        f.seq.map((e) => [e.kind, dot(e.dot), e.wall, e.logical, hex(e.crdt.encode())]),
      ]);
  return JSON.stringify([
    state.actorIds().map((id, i) => [id, state.dotCounter(i)]),
    [...state.collections].map(([name, docs]) => [
      name,
      [...docs].map(([id, kept]) => {
        const node = unpacked(kept);
        return [id, node.alive.map(dot), node.deleted.map(dot), obj(node.root)];
      }),
    ]),
  ]);
}

/**
 * A document as a tree of fields, whether kept packed or not (the same document may be either:
 * a state writer packs those it can, and a tree that could be packed decodes as a tree).
 */
function unpacked(node: DocNode): DocNode {
  if (!node.packed) return node;
  const copy = { ...node };
  unpack(copy);
  return copy;
}

function describeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify([snapshot.ordinal, snapshot.summaries, describeState(snapshot.state)]);
}

/** A decoded state must read: every document, and the conflicts of its top-level fields. */
function checkSpaceState(state: SpaceState): void {
  const names = (i: number) => state.name(i);
  for (const docs of state.collections.values()) {
    for (const [id, node] of docs) {
      readDoc(node, id, names);
      for (const key of node.root.keys()) readConflicts(node, [key], names);
    }
  }
}

/** A decoded snapshot must restore: its runs make a change log, its state reads. */
function checkSnapshot(snapshot: Snapshot): void {
  ChangeLog.restore('fuzzer', snapshot.summaries);
  checkSpaceState(snapshot.state);
}

// ---------------------------------------------------------------------------------------
// Inputs, as fast-check arbitraries (so a failure shrinks to a small mutation of a small input).

const randomBytesArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  // Small bytes make plausible counts, tags, lengths and actor indices.
  { weight: 4, arbitrary: fc.array(fc.nat(8), { maxLength: 40 }).map((a) => Uint8Array.from(a)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1024 }) },
);

const utf8 = new TextEncoder();

function varuint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** A correct version and tag, often a well-formed actor table, then random bytes. */
function headedArb(tag: number, version: number): fc.Arbitrary<Uint8Array> {
  const table = fc.option(fc.subarray(ACTORS), { freq: 3 }).map((actors) => {
    if (actors === null) return [];
    const bytes = actors.map((a) => utf8.encode(a));
    return [actors.length, ...bytes.flatMap((b) => [...varuint(b.length), ...b])];
  });
  return fc
    .tuple(table, randomBytesArb)
    .map(([head, body]) => Uint8Array.from([version, tag, ...head, ...body]));
}

const HUGE_VARINTS = [
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f], // 2^53 - 1
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], // past 2^53
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // longer than 8 bytes
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02], // 2^50
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x08], // 2^52
  [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f], // 2^53 - 2, zigzag 2^52 - 1
  [0xff, 0xff, 0xff, 0xff, 0x0f], // 2^32 - 1
  [0x80, 0x80, 0x80, 0x80, 0x08], // 2^31, an HLC logical counter too far
  [0x80, 0x00], // overlong
];

/** Positions are taken modulo the length of the input at hand. */
type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly byte: number }
  | { readonly op: 'nudge'; readonly at: number; readonly by: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number; readonly to: number }
  | { readonly op: 'truncate'; readonly at: number }
  | {
      readonly op: 'varint';
      readonly at: number;
      readonly varint: readonly number[];
      /** Inserted; over as many bytes; or in place of the varint that starts there. */
      readonly into: 'insert' | 'overwrite' | 'replace';
    };

const at = fc.nat();
const span = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 64 }));

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip'), at, bit: fc.nat(7) }),
  fc.record({
    op: fc.constant('set'),
    at,
    byte: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0x00, 0xff, 0x80, 0x7f) }, fc.nat(255)),
  }),
  fc.record({ op: fc.constant('nudge'), at, by: fc.constantFrom(1, 255) }),
  fc.record({
    op: fc.constant('insert'),
    at,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ op: fc.constant('delete'), at, length: span }),
  fc.record({ op: fc.constant('duplicate'), at, length: span, to: at }),
  fc.record({ op: fc.constant('truncate'), at }),
  fc.record({
    op: fc.constant('varint'),
    at,
    varint: fc.constantFrom(...HUGE_VARINTS),
    into: fc.constantFrom('insert', 'overwrite', 'replace'),
  }),
);

function splice(bytes: Uint8Array, at: number, remove: number, insert: ArrayLike<number>) {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

function applyMutation(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length;
  const i = m.at % (n + 1);
  const out = bytes.slice();
  switch (m.op) {
    case 'flip':
      if (i < n) out[i]! ^= 1 << m.bit;
      return out;
    case 'set':
      if (i < n) out[i] = m.byte;
      return out;
    case 'nudge': // a count, a length, an index one off
      if (i < n) out[i] = (out[i]! + m.by) & 0xff;
      return out;
    case 'insert':
      return splice(bytes, i, 0, m.bytes);
    case 'delete':
      return splice(bytes, i, Math.min(m.length, n - i), []);
    case 'duplicate':
      return splice(bytes, m.to % (n + 1), 0, bytes.subarray(i, i + m.length));
    case 'truncate':
      return bytes.slice(0, i);
    case 'varint':
      return splice(bytes, i, replaced(bytes, i, m), m.varint);
  }
}

/** How many bytes a huge varint replaces at `i`. */
function replaced(bytes: Uint8Array, i: number, m: Mutation & { op: 'varint' }): number {
  if (m.into === 'insert') return 0;
  if (m.into === 'overwrite') return Math.min(m.varint.length, bytes.length - i);
  let end = i;
  while (end < bytes.length && bytes[end]! >= 0x80) end++;
  return Math.min(end + 1, bytes.length) - i;
}

/** Mostly one mutation (more inputs stay decodable and reach deep), sometimes several. */
const mutationsArb = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(mutationArb) },
  { weight: 1, arbitrary: fc.array(mutationArb, { minLength: 2, maxLength: 5 }) },
);

function mutatedArb(corpus: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.constantFrom(...corpus), mutationsArb)
    .map(([valid, mutations]) => mutations.reduce(applyMutation, valid));
}

// ---------------------------------------------------------------------------------------
// The property.

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function describeError(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message}`
    : `a non-error: ${String(error)}`;
}

class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
}

function failure(family: Family<unknown>, input: Uint8Array, why: string, cause?: unknown) {
  const message = `${family.name}: ${why}\n  input (${input.length} bytes): ${hex(input)}`;
  return new FuzzFailure(message, cause === undefined ? undefined : { cause });
}

/** Decodes one input and checks the outcome; returns whether it decoded. */
function checkInput(family: Family<unknown>, input: Uint8Array): boolean {
  const start = performance.now();
  let state: unknown;
  let error: unknown;
  let threw = false;
  try {
    state = family.decode(input);
  } catch (e) {
    threw = true;
    error = e;
  }
  const elapsed = performance.now() - start;
  if (elapsed > SLOW_MS) throw failure(family, input, `decoding took ${Math.round(elapsed)} ms`);
  if (threw) {
    if (error instanceof DecodeError && error.code === 'decode') return false;
    throw failure(family, input, `threw ${describeError(error)}, not a DecodeError`, error);
  }
  let bytes: Uint8Array;
  let again: unknown;
  try {
    bytes = family.encode(state);
    again = family.decode(bytes);
  } catch (e) {
    throw failure(family, input, `decoded, but the round trip threw ${describeError(e)}`, e);
  }
  if (!family.equals(state, again)) {
    throw failure(family, input, 'decoded, but a round trip changed it');
  }
  if (hex(family.encode(again)) !== hex(bytes)) {
    throw failure(family, input, 'decoded, but its re-encoding is not canonical');
  }
  try {
    family.check?.(state);
  } catch (e) {
    throw failure(family, input, `decoded an invalid state: ${describeError(e)}`, e);
  }
  return true;
}

/** A plain test that depends on the seed: a failure names it and the command that replays it. */
const seeded = (name: string, body: () => void) => withSeed(FILE, name, body, seed);

/** Payloads, snapshots and states of databases driven by the seed (see databaseCorpus). */
const dbCorpus = await databaseCorpus(new Prng(seed));

/** Every family's corpus, built once from the seed (the same seed replays the same corpus). */
const corpora = new Map(families.map((f) => [f, f.corpus(new Prng(seed))]));
const corpusOf = (family: Family<unknown>) => corpora.get(family)!;

describe('decoders are total', () => {
  for (const family of families) {
    const name = family.name;
    const corpusTest = `${name}: every valid encoding in the corpus decodes and round-trips`;
    test(corpusTest, () =>
      seeded(corpusTest, () => {
        for (const bytes of corpusOf(family)) {
          if (!checkInput(family, bytes)) throw failure(family, bytes, 'a valid encoding refused');
        }
      }),
    );
    checkProperty(
      `${name}: random bytes, bare or behind a correct header`,
      fc.oneof(
        randomBytesArb,
        headedArb(family.tag, family.version ?? formatVersion(family.tag as Tag)),
      ),
      (input) => {
        checkInput(family, input);
      },
    );
    checkProperty(`${name}: mutated valid encodings`, mutatedArb(corpusOf(family)), (input) => {
      checkInput(family, input);
    });
  }

  const reachTest = 'the inputs reach the parsers: some mutated encodings decode, some do not';
  test(reachTest, () =>
    seeded(reachTest, () => {
      runsAccepted = 0;
      for (const family of families) {
        const inputs = fc.sample(mutatedArb(corpusOf(family)), { seed, numRuns: 300 });
        const decoded = inputs.filter((input) => checkInput(family, input)).length;
        expect(decoded, family.name).toBeGreaterThan(0);
        expect(decoded, family.name).toBeLessThan(inputs.length);
      }
      // Some decoded runs made it into a change log.
      expect(runsAccepted).toBeGreaterThan(0);
    }),
  );

  checkProperty(
    'keyToValue: any string decodes or throws DecodeError',
    fc.oneof(
      randomBytesArb,
      mutatedArb(
        Array.from({ length: 40 }, (_, i) => {
          const key = valueKey(randomValue(new Prng(seed + i)));
          return Uint8Array.from(key, (c) => c.charCodeAt(0));
        }),
      ),
    ),
    fc.boolean(),
    (bytes, wide) => {
      // Keys are one byte per UTF-16 unit; `wide` adds units above 0xff.
      const key = String.fromCharCode(...bytes) + (wide ? '\u{1F600}' : '');
      let v: Value;
      try {
        v = keyToValue(key);
      } catch (error) {
        if (error instanceof DecodeError) return;
        throw new Error(`keyToValue threw ${describeError(error)} on ${hex(bytes)}`);
      }
      expect(valueEquals(keyToValue(valueKey(v)), v)).toBe(true);
    },
  );
});

// ---------------------------------------------------------------------------------------
// Decodable mutations through a space: a fuzzed change is applied or refused with a WeftError
// (leaving the documents as they were); either way the space still reads, queries, takes
// writes, and reopens from storage to the same documents. Likewise a fuzzed snapshot in
// storage: the space opens from it or refuses it with a WeftError.

/** Documents as comparable text (NaN, -0 and bytes included; any depth). */
function stableText(v: unknown): string {
  if (v instanceof Uint8Array) return `bytes:${hex(v)}`;
  if (Array.isArray(v)) return `[${v.map(stableText).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const entries = Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableText(o[k])}`);
    return `{${entries.join(',')}}`;
  }
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return JSON.stringify(v);
}

/**
 * Reads every collection, through the indexes and the query engine too. Collections without
 * documents are left out: a change that touched a collection but left nothing in it lists it
 * among `collectionNames()` until the space is reopened.
 */
function readAll(space: Space): string {
  return stableText(
    space.collectionNames().flatMap((name) => {
      const collection = space.collection<Record<string, Value>>(name);
      collection.find({ orderBy: 'votes' });
      collection.find({ where: { 'meta.n': { gte: 0 } } });
      collection.count({ title: 'a' });
      const docs = collection.find();
      return docs.length > 0 ? [[name, docs]] : [];
    }),
  );
}

/** Runs `attempt`; a refusal must be a WeftError. Returns it, or undefined. */
async function refusal(
  what: string,
  attempt: () => Promise<unknown>,
): Promise<WeftError | undefined> {
  try {
    await attempt();
    return undefined;
  } catch (error) {
    if (error instanceof WeftError) return error;
    throw new Error(`${what} threw ${describeError(error)}, not a WeftError`, { cause: error });
  }
}

/** Edits a few documents of each collection, as an application would. */
async function writeSome(space: Space): Promise<void> {
  for (const collection of collectionsOf(space)) {
    for (const doc of collection.find().slice(0, 3)) {
      await refusal(`updating ${collection.name}/${doc.id}`, () =>
        collection.update(doc.id, (d) => {
          const draft = d as Record<string, Value>;
          draft.touched = true;
          if (typeof draft.votes === 'number' && Number.isSafeInteger(draft.votes))
            draft.votes += 1;
        }),
      );
    }
    await refusal(`inserting into ${collection.name}`, () =>
      collection.insert({ title: 'after', votes: 1, tags: ['x'] }),
    );
  }
}

/** Writes, then checks that a second database on the same storage opens to the same documents. */
async function checkReopens(storage: MemoryStorage, space: Space, persist: object): Promise<void> {
  await writeSome(space);
  const docs = readAll(space);
  await space.flush();
  const again = await (await openDatabase({ storage, actor: 'observer', persist })).space('s');
  collectionsOf(again);
  const reopened = readAll(again);
  if (reopened !== docs) {
    let at = 0;
    while (at < docs.length && docs[at] === reopened[at]) at++;
    throw new Error(
      'the space reopened to different documents: ' +
        `before ...${docs.slice(Math.max(0, at - 80), at + 120)}... ` +
        `reopened ...${reopened.slice(Math.max(0, at - 80), at + 120)}...`,
    );
  }
}

/** As checkProperty, for a predicate that awaits. */
function checkAsyncProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (input: T) => Promise<void>,
): void {
  // A space per input costs more than a decode: a fifth of the runs.
  const runs = Math.max(1, Math.ceil(numRuns / 5));
  test(
    name,
    async (ctx) => {
      const path = process.env.WEFT_PATH;
      const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
        numRuns: runs,
        seed,
        includeErrorInReport: true,
        ...(path ? { path } : {}),
      });
      if (!details.failed) return;
      const fullName = (ctx.task.fullTestName ?? ctx.task.name).split(' > ').join(' ');
      const pattern = `${fullName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
      const env = numRuns === 1000 ? '' : `WEFT_RUNS=${numRuns} `;
      const rerun = `WEFT_SEED=${seed} ${env}npx vitest run ${FILE} -t '${pattern}'`;
      throw new Error(
        `Property "${fullName}" failed (seed ${seed}, path ${details.counterexamplePath}).\n` +
          `Rerun:       ${rerun}\n` +
          `Replay only: WEFT_PATH='${details.counterexamplePath ?? ''}' ${rerun}\n\n` +
          fc.defaultReportMessage(details),
      );
    },
    Math.max(120_000, runs * 100),
  );
}

/** How many fuzzed changes a space applied, and how many fuzzed snapshots opened. */
const spaceOutcomes = { applied: 0, refused: 0, opened: 0, notOpened: 0 };

describe('decodable mutations through a space', () => {
  checkAsyncProperty(
    'a fuzzed change is applied or refused with a WeftError; the space reads, writes and reopens',
    fc.record({
      context: fc.constantFrom(...dbCorpus.contexts),
      change: fc.nat(),
      mutations: mutationsArb,
      snapshots: fc.boolean(),
    }),
    async ({ context: { before, run }, change, mutations, snapshots }) => {
      const i = change % run.changes.length;
      const payload = mutations.reduce(applyMutation, run.changes[i]!.payload);
      const fuzzed = sealRun({
        actor: run.actor,
        seq: run.seq,
        deps: run.deps,
        changes: run.changes.map((c, j) => (j === i ? { ...c, payload } : c)),
      });
      // Snapshot at every write (reopening reads the state back), or never (it replays the log).
      const persist = { snapshotMinBytes: snapshots ? 1 : 2 ** 40 };
      const storage = new MemoryStorage();
      const space = await (await openDatabase({ storage, actor: 'observer', persist })).space('s');
      collectionsOf(space);
      await space.receive(before);
      const was = readAll(space);
      const refused = await refusal(`receiving payload ${hex(payload)}`, () =>
        space.receive([fuzzed]),
      );
      if (refused) {
        spaceOutcomes.refused++;
        if (readAll(space) !== was) {
          throw new Error(`the space refused payload ${hex(payload)} but its documents changed`);
        }
      } else {
        spaceOutcomes.applied++;
      }
      await checkReopens(storage, space, persist);
    },
  );

  checkAsyncProperty(
    'a fuzzed snapshot opens or is refused with a WeftError; what opens reads, writes and reopens',
    mutatedArb(dbCorpus.snapshots),
    async (bytes) => {
      const storage = new MemoryStorage();
      await storage.batch([{ op: 'put', key: storageKeys.snapshot('s'), data: bytes }]);
      const persist = { snapshotMinBytes: 1 };
      let space: Space | undefined;
      const refused = await refusal(`opening snapshot ${hex(bytes)}`, async () => {
        space = await (await openDatabase({ storage, actor: 'observer', persist })).space('s');
      });
      if (refused || !space) {
        spaceOutcomes.notOpened++;
        return;
      }
      spaceOutcomes.opened++;
      collectionsOf(space);
      readAll(space);
      await checkReopens(storage, space, persist);
    },
  );

  test('some fuzzed changes were applied and some refused; some snapshots opened', () => {
    // Runs after the properties above (vitest runs a file's tests in order).
    if (process.env.WEFT_PATH) return;
    expect(spaceOutcomes.applied).toBeGreaterThan(0);
    expect(spaceOutcomes.refused).toBeGreaterThan(0);
    expect(spaceOutcomes.opened).toBeGreaterThan(0);
    expect(spaceOutcomes.notOpened).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------
// Targeted inputs.

function decodeError(decode: (bytes: Uint8Array) => unknown, bytes: Uint8Array): DecodeError {
  let caught: unknown;
  try {
    decode(bytes);
  } catch (error) {
    caught = error;
  }
  expect(caught, `input ${hex(bytes)}`).toBeInstanceOf(DecodeError);
  expect((caught as DecodeError).code).toBe('decode');
  return caught as DecodeError;
}

const bytesOf = (...parts: (number | ArrayLike<number>)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : Array.from(p))));

/** Zigzag, as Writer.varint. */
const varint = (n: number) => varuint(n >= 0 ? n * 2 : -n * 2 - 1);
const HASH = new Array<number>(32).fill(0xab);

describe('targeted inputs', () => {
  const COUNT = varuint(2 ** 50);

  test('a forged count of 2^50 is refused at once, before anything is allocated', () => {
    expect(COUNT).toHaveLength(8);
    const start = performance.now();
    for (const family of families) {
      // 10 bytes: version, tag, and an actor table of 2^50 actors.
      const input = bytesOf(1, family.tag, COUNT);
      expect(input).toHaveLength(10);
      decodeError(family.decode, input);
      // An empty actor table, then the body's first count.
      decodeError(family.decode, bytesOf(1, family.tag, 0, COUNT));
    }
    // Counts and lengths further in: an array, an object, a string, a 2P-set's tombstones, a
    // dot cloud, an MV register's dots, a run's deps, changes and payload.
    decodeError(decodeValue, bytesOf(1, Tag.value, 0, 7, COUNT));
    decodeError(decodeValue, bytesOf(1, Tag.value, 0, 8, COUNT));
    decodeError(decodeValue, bytesOf(1, Tag.value, 0, 5, COUNT));
    decodeError(TwoPSetType.decode, bytesOf(1, Tag.twoPSet, 0, 0, COUNT));
    decodeError(decodeCausalContext, bytesOf(1, Tag.causalContext, 1, 1, 97, 0, 1, 0, COUNT));
    decodeError(MVRegisterType.decode, bytesOf(1, Tag.mvRegister, 0, 0, 0, COUNT));
    // (Runs padded with a hash, so the count of runs itself is plausible.)
    for (const run of [[COUNT], [0, COUNT], [0, 1, 0, 0, COUNT]]) {
      const error = decodeError(decodeRuns, bytesOf(1, Tag.runs, 0, 1, 1, 97, 1, ...run, HASH));
      expect(error.message).toMatch(/exceeds the remaining input/);
    }
    expect(performance.now() - start).toBeLessThan(200);
  });

  test('a value nested 100,000 deep is refused without overflowing the stack', () => {
    const arrays = new Uint8Array(3 + 2 * 100_000 + 1);
    arrays.set([1, Tag.value, 0]);
    for (let i = 0; i < 100_000; i++) arrays.set([7, 1], 3 + 2 * i);
    expect(decodeError(decodeValue, arrays).message).toMatch(/nested deeper than 64/);
    // Objects: {"k": {"k": …}}.
    const objects = new Uint8Array(3 + 4 * 100_000 + 1);
    objects.set([1, Tag.value, 0]);
    for (let i = 0; i < 100_000; i++) objects.set([8, 1, 1, 107], 3 + 4 * i);
    expect(decodeError(decodeValue, objects).message).toMatch(/nested deeper than 64/);
    // Inside a set, an MV register, and in the key form.
    const deep = arrays.subarray(3);
    expect(decodeError(GSetType.decode, bytesOf(1, Tag.gSet, 0, 1, deep)).message).toMatch(
      /nested deeper than 64/,
    );
    const register = bytesOf(1, Tag.mvRegister, 1, 1, 97, 1, 0, 1, 0, 1, 0, 1, deep);
    expect(decodeError(MVRegisterType.decode, register).message).toMatch(/nested deeper than 64/);
    expect(() => keyToValue(String.fromCharCode(...deep.subarray(0, 20_000)))).toThrow(DecodeError);
    // As deep as allowed still round-trips.
    expect(valueEquals(decodeValue(encodeValue(nested(64, 1))), nested(64, 1))).toBe(true);
  });

  test('snapshots of format version 1 read (counter and set stamps as 0.0); later ones are refused', async () => {
    let time = 1_000;
    const space = await (await openDatabase({ actor: 'alice', now: () => (time += 1) })).space('s');
    const cards = space.collection('cards', { fields: { votes: 'counter', 'meta.tags': 'set' } });
    await cards.insert({ id: 'c1', title: 't', votes: 3, meta: { tags: ['a', 'b'] } });
    await cards.update('c1', (d) => {
      d.votes = (d.votes as number) + 1;
    });
    const current = space.snapshotForPeer().snapshot;
    expect(current[0]).toBe(formatVersion(Tag.snapshot));
    expect(formatVersion(Tag.snapshot)).toBe(2);
    const stamps = (snapshot: Snapshot) => {
      const node = snapshot.state.collections.get('cards')!.get('c1')!;
      const votes = node.root.get('votes')!.ctr.map((e) => [e.wall, e.logical]);
      const tags = node.root.get('meta')!.obj!.get('tags')!.set!;
      return [
        ...votes,
        ...[...tags.values()].flatMap((e) => e.adds.map((a) => [a.wall, a.logical])),
      ];
    };
    const decoded = decodeSnapshot(current);
    expect(stamps(decoded).every(([wall]) => wall! > 1_000)).toBe(true);
    const v1 = encodeSnapshotV1(decoded);
    expect(v1[0]).toBe(1);
    const legacy = decodeSnapshot(v1);
    expect(stamps(legacy)).toEqual(stamps(decoded).map(() => [0, 0]));
    const names = (s: Snapshot) => (i: number) => s.state.name(i);
    const read = (s: Snapshot) =>
      readDoc(s.state.collections.get('cards')!.get('c1'), 'c1', names(s));
    expect(read(legacy)).toEqual({ id: 'c1', title: 't', votes: 4, meta: { tags: ['a', 'b'] } });
    expect(read(legacy)).toEqual(read(decoded));
    // A version from a later build: refused by name, before anything else is read.
    const later = current.slice();
    later[0] = 3;
    expect(decodeError(decodeSnapshot, later).message).toContain(
      'unsupported format version 3 of snapshot (this build reads versions 1 to 2)',
    );
  });

  test('a wrong format version is refused, naming the version', () => {
    for (const family of families) {
      for (const version of [0, formatVersion(family.tag as Tag) + 1, 255]) {
        const input = corpusOf(family)[0]!.slice();
        input[0] = version;
        expect(decodeError(family.decode, input).message).toContain(`version ${version}`);
      }
    }
  });

  test('an empty input, a lone version byte and a wrong tag are refused', () => {
    for (const family of families) {
      decodeError(family.decode, new Uint8Array());
      decodeError(family.decode, bytesOf(1));
      const other = family.tag === Tag.value ? Tag.hlc : Tag.value;
      expect(decodeError(family.decode, bytesOf(1, other, 0)).message).toMatch(/expected/);
    }
  });

  // Inputs the fuzzer found (or that reading the decoders suggested), kept as regressions.

  test('an OR-set element key that is not a canonical value encoding is refused', () => {
    // ctx {bob: 1}; one element whose key is the lone byte 0x05 (a string tag, no string).
    const ctx = [0x01, 0x03, 0x62, 0x6f, 0x62, 0x01, 0x00, 0x01, 0x00];
    const element = (key: number[]) =>
      bytesOf(1, Tag.orSet, ctx, 0x01, key.length, key, 0x01, 0x00, 0x01);
    expect(decodeError(ORSetType.decode, element([0x05])).message).toMatch(/invalid map key/);
    // 1.0 as a float: a value, but not its canonical key (that is the integer 1).
    const float = [4, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
    decodeError(ORSetType.decode, element([...utf8.encode(String.fromCharCode(...float))]));
    // The canonical key of 1 decodes; nested in a map too.
    expect(orSetValues(ORSetType.decode(element([3, 2])))).toEqual([1]);
    const inMap = bytesOf(1, Tag.orMap, ctx, 0x01, 0x01, 0x6b, 0x01, 0x01, 0x05, 0x01, 0x00, 0x01);
    expect(decodeError(mapOfSets.type.decode, inMap).message).toMatch(/invalid map key/);
  });

  test('a run whose stamps need a wall delta of -2^52 is refused (it could not be re-encoded)', () => {
    const walls = [2 ** 52 - 1, 2 ** 52 - 1, -(2 ** 52)].flatMap((d) => [...varint(d), 0, 0]);
    const input = bytesOf(1, Tag.runs, 0, 1, 1, 97, 1, 0, 3, walls, HASH);
    expect(decodeError(decodeRuns, input).message).toMatch(/varint out of range/);
    // One step less is a stamp that goes back: decodable, and refused by the log.
    const back = [2 ** 52 - 1, 2 ** 52 - 1, -(2 ** 52 - 1)].flatMap((d) => [...varint(d), 0, 0]);
    const [run] = decodeRuns(bytesOf(1, Tag.runs, 0, 1, 1, 97, 1, 0, 3, back, HASH));
    expect(runsEqual(decodeRuns(encodeRuns([run!])), [run!])).toBe(true);
    expect(() => new ChangeLog().add(sealRun(run!))).toThrow(ChangeRejectedError);
  });

  test('a run whose logical counter is not a valid HLC counter is refused', () => {
    const change = (logical: number) =>
      bytesOf(1, Tag.runs, 0, 1, 1, 97, 1, 0, 1, 2, varuint(logical), 0, HASH);
    expect(decodeError(decodeRuns, change(2 ** 31)).message).toMatch(/logical counter/);
    expect(decodeError(decodeRuns, change(2 ** 32)).message).toMatch(/logical counter/);
    expect(decodeRuns(change(2 ** 31 - 1))[0]!.changes[0]!.logical).toBe(2 ** 31 - 1);
  });

  test('a change keeps its edits in order when a collection comes back after another', async () => {
    // Decoded, these three edits were re-encoded grouped by collection (notes/n1, notes/n2,
    // docs/d1): a round trip changed the change. Order matters, as dots are numbered in it.
    const actors = new SpaceState();
    const edits: DocEdit[] = [
      { collection: 'notes', id: 'n1', ops: [{ kind: 'insert', covers: [] }] },
      { collection: 'docs', id: 'd1', ops: [{ kind: 'insert', covers: [] }] },
      {
        collection: 'notes',
        id: 'n2',
        ops: [{ kind: 'set', path: ['text'], value: 'y', covers: [packDot(actors.index('a'), 1)] }],
      },
    ];
    const bytes = encodeEdits(edits, actors);
    expect(hex(bytes)).toBe(
      // actor table [a]; edits in order: notes (new name 0)/n1 insert, docs (new name 1)/d1
      // insert, notes (name 0)/n2 set text (new name 2)
      '0128010161' +
        '00056e6f746573026e31010000' +
        '0104646f637302643101' +
        '0000' +
        '00026e32010201020474657874050179010001',
    );
    const decoded = docChangeFamily.decode(bytes);
    expect(decoded.edits.map((e) => `${e.collection}/${e.id}`)).toEqual([
      'notes/n1',
      'docs/d1',
      'notes/n2',
    ]);
    expect(hex(docChangeFamily.encode(decoded))).toBe(hex(bytes));

    // A transaction across collections converges: the field cleared here is cleared there.
    const a = await (await openDatabase({ actor: 'a' })).space('s');
    const b = await (await openDatabase({ actor: 'b' })).space('s');
    await a.transact(() => {
      void a.collection('notes').insert({ id: 'n1', text: 'x' });
      void a.collection('docs').insert({ id: 'd1', title: 't' });
      void a.collection('notes').insert({ id: 'n2', text: 'y' });
    });
    await a.collection('notes').update('n2', { text: undefined });
    await b.receive(a.changesSince(b.versionVector()));
    expect(b.collection('notes').get('n2')).toEqual({ id: 'n2' });
    expect(b.collection('notes').find()).toEqual(a.collection('notes').find());
  });

  test('a change with a field path longer than decodeEdits reads is refused when encoded', async () => {
    // A document nested 65 deep used to be written (decodeEdits refuses field paths over 64),
    // and then the database could not be opened again, nor the change received anywhere.
    // Documents now nest at most 32 deep (diff.ts); the encoder guards the format's own limit.
    const set = (depth: number): DocEdit[] => [
      {
        collection: 'd',
        id: 'deep',
        ops: [
          { kind: 'set', path: Array.from({ length: depth }, () => 'k'), value: 1, covers: [] },
        ],
      },
    ];
    expect(docChangeFamily.decode(encodeEdits(set(64), new SpaceState())).edits).toEqual(set(64));
    expect(() => encodeEdits(set(65), new SpaceState())).toThrow(InvalidValueError);
    const storage = new MemoryStorage();
    const docs = (await (await openDatabase({ storage, actor: 'a' })).space('s')).collection('d');
    await docs.put({ id: 'ok', v: nestedObject(32, 1) });
    await expect(docs.put({ id: 'deep', v: nestedObject(65, 1) })).rejects.toBeInstanceOf(
      InvalidValueError,
    );
    const again = await (await openDatabase({ storage, actor: 'a' })).space('s');
    expect(
      again
        .collection('d')
        .find()
        .map((d) => d.id),
    ).toEqual(['ok']);
  });

  test('a snapshot whose run summaries could not restore a log is refused', () => {
    const hash = (n: number) => n.toString(16).padStart(64, '0');
    const first: RunSummary = {
      hash: hash(1),
      actor: 'a',
      seq: 1,
      count: 1,
      deps: [],
      lastWall: 1_700_000_000_000,
      lastLogical: 0,
    };
    const next = (over: Partial<RunSummary>): RunSummary => ({
      ...first,
      hash: hash(2),
      seq: 2,
      deps: [hash(1)],
      ...over,
    });
    const snapshot = (...summaries: RunSummary[]) =>
      encodeSnapshot({ ordinal: summaries.length, summaries, state: new SpaceState() });
    expect(decodeSnapshot(snapshot(first, next({}))).ordinal).toBe(2);
    // ChangeLog.restore threw RangeError on these (the space did not open, with no DecodeError).
    const refused: [RunSummary[], RegExp][] = [
      [[next({ deps: [] })], /does not follow/], // a:2 first: a gap
      [[first, next({ seq: 1 })], /does not follow/], // a:1 again
      [[first, next({ seq: 3 })], /does not follow/],
      [[first, next({ actor: 'b', seq: 1, hash: hash(1) })], /duplicate run summary/],
      [
        [first, next({ actor: 'b', seq: 1, deps: [hash(1), hash(1)] })],
        /duplicate run summary dep/,
      ],
      [[first, next({ count: 2 ** 53 - 1 })], /does not follow/], // ends past 2^53 - 1
      // A clock moved to these stamps could not stamp another write.
      [[next({ seq: 1, deps: [], lastLogical: 2 ** 31 })], /logical counter/],
      [[next({ seq: 1, deps: [], lastWall: 2 ** 52 - 1 })], /stamp out of range/],
    ];
    for (const [summaries, message] of refused) {
      expect(decodeError(decodeSnapshot, snapshot(...summaries)).message).toMatch(message);
    }
    expect(
      decodeSnapshot(snapshot(next({ seq: 1, deps: [], lastWall: 2 ** 52 - 2 }))).ordinal,
    ).toBe(1);
  });

  test('a field named __proto__ reads back as a field, not as the prototype', async () => {
    // It set the read object's prototype: the field vanished, and a bytes value made the object
    // pass for a Uint8Array, so the next update of the document threw a TypeError.
    const docs = (await (await openDatabase({ actor: 'a' })).space('s')).collection('d');
    const doc = { id: 'p', ['__proto__']: 'top', meta: { ['__proto__']: new Uint8Array([1]) } };
    await docs.insert(doc);
    const read = docs.get('p')!;
    expect(Object.keys(read).sort()).toEqual(['__proto__', 'id', 'meta']);
    expect(Object.getPrototypeOf(read.meta)).toBe(Object.prototype);
    expect(read.meta).toEqual({ ['__proto__']: new Uint8Array([1]) });
    await docs.update('p', { title: 'x' });
    expect(docs.get('p')).toEqual({ ...doc, title: 'x' });
  });
});

// Found by the fuzzer (WEFT_SEED=2062659033, 'decoders are total Snapshot v1: mutated valid
// encodings'): a state decoded with objects nested deeper than a document can nest them, and
// reading it back into documents then threw.
test('a snapshot whose objects nest deeper than a document can is refused', () => {
  // Two concurrent writes of one deep field: a document kept as a tree (not packed), whose
  // encoder writes what it holds.
  const nested = (depth: number) => {
    const state = new SpaceState();
    const path = ['deep', ...Array.from({ length: depth }, () => 'k')];
    for (const actor of ['a', 'b']) {
      const ops: DocEdit['ops'] = [{ kind: 'set', path, value: actor, covers: [] }];
      state.applyChange(state.index(actor), 1, 0, [{ collection: 'c', id: 'd', ops }]);
    }
    return encodeSnapshot({ ordinal: 0, summaries: [], state });
  };
  // Objects at depth 31 (the deepest a document has): read.
  expect(decodeSnapshot(nested(31)).state.doc('c', 'd')).toBeDefined();
  expect(decodeError(decodeSnapshot, nested(32)).message).toMatch(/nested deeper than 32/);
});
