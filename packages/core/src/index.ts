// @weft/core: the CRDT kernel, clocks, change log and byte formats. No I/O, no Node-only API.

export type { CausalContext } from './clocks/causal-context.js';
export {
  ctxAdd,
  ctxAddAll,
  ctxClone,
  ctxEquals,
  ctxFromDots,
  ctxHas,
  ctxMax,
  ctxNextDot,
  ctxUnion,
  decodeCausalContext,
  emptyContext,
  encodeCausalContext,
} from './clocks/causal-context.js';
export type { Dot, DotKey } from './clocks/dot.js';
export { dotKey, parseDotKey } from './clocks/dot.js';
export type { ClockOptions, Hlc } from './clocks/hlc.js';
export { compareHlc, decodeHlc, encodeHlc, HybridClock, hlcEquals, maxHlc } from './clocks/hlc.js';
export type { Ordering, VersionVector } from './clocks/version-vector.js';
export {
  decodeVersionVector,
  encodeVersionVector,
  vvCompare,
  vvCovers,
  vvEntries,
  vvEquals,
  vvGet,
  vvMerge,
} from './clocks/version-vector.js';
export type { Causal } from './crdt/causal.js';
export { causalType } from './crdt/causal.js';
export type { CausalCounter, Tally } from './crdt/causal-counter.js';
export {
  causalCounterAdd,
  causalCounterAddFull,
  causalCounterStore,
  causalCounterValue,
} from './crdt/causal-counter.js';
export type { DotFun, DotMap, DotSet, DotStoreType, ValueCodec } from './crdt/dot-store.js';
export { dotFun, dotMap, dotSet } from './crdt/dot-store.js';
export type { GCounter } from './crdt/g-counter.js';
export { GCounterType, gCounterInc, gCounterIncFull, gCounterValue } from './crdt/g-counter.js';
export type { GSet } from './crdt/g-set.js';
export { GSetType, gSetAdd, gSetAddFull, gSetHas } from './crdt/g-set.js';
export type { LWWRegister } from './crdt/lww-register.js';
export { LWWRegisterType, lwwRegisterSet, lwwRegisterSetFull } from './crdt/lww-register.js';
export type { MVRegister } from './crdt/mv-register.js';
export {
  MVRegisterType,
  mvRegisterStore,
  mvRegisterValues,
  mvRegisterWrite,
  mvRegisterWriteFull,
  valueCodec,
} from './crdt/mv-register.js';
export type { ORMap, ORMapKind } from './crdt/or-map.js';
export {
  orMapGet,
  orMapKeys,
  orMapKind,
  orMapRemove,
  orMapRemoveFull,
  orMapUpdate,
  orMapUpdateFull,
} from './crdt/or-map.js';
export type { ORSet } from './crdt/or-set.js';
export {
  ORSetType,
  orSetAdd,
  orSetAddFull,
  orSetHas,
  orSetRemove,
  orSetRemoveFull,
  orSetStore,
  orSetValues,
} from './crdt/or-set.js';
export type { PNCounter } from './crdt/pn-counter.js';
export {
  PNCounterType,
  pnCounterAdd,
  pnCounterAddFull,
  pnCounterValue,
} from './crdt/pn-counter.js';
export type { TwoPSet } from './crdt/two-p-set.js';
export {
  TwoPSetType,
  twoPSetAdd,
  twoPSetAddFull,
  twoPSetHas,
  twoPSetRemove,
  twoPSetRemoveFull,
  twoPSetValues,
} from './crdt/two-p-set.js';
export { decodeEnvelope, encodeEnvelope, FORMAT_VERSION, Tag } from './encoding/envelope.js';
export { Reader } from './encoding/reader.js';
export type { Value } from './encoding/value.js';
export {
  compareValues,
  decodeValue,
  encodeValue,
  keyToValue,
  MAX_VALUE_DEPTH,
  readValue,
  valueEquals,
  valueKey,
  writeValue,
} from './encoding/value.js';
export { Writer } from './encoding/writer.js';
export type { ChangeRejection, WeftErrorCode } from './errors.js';
export {
  ChangeRejectedError,
  ClockDriftError,
  DecodeError,
  InvalidValueError,
  WeftError,
} from './errors.js';
export type { ActorId } from './kernel/actor.js';
export { randomActorId } from './kernel/actor.js';
export type { CrdtType } from './kernel/crdt.js';
export { CrdtReplica } from './kernel/crdt-replica.js';
export type { AddResult } from './log/change-log.js';
export { ChangeLog } from './log/change-log.js';
export type { Hash } from './log/hash.js';
export type { Change, ChangeEntry, Run, UnsealedRun } from './log/run.js';
export { computeRunHash, decodeRuns, encodeRuns, makeChange, runEnd, sealRun } from './log/run.js';
export type { AcceptanceSetup, TestHarness } from './storage/acceptance.js';
export { runStorageAcceptance } from './storage/acceptance.js';
export type { StorageAdapter, StorageEntry, StorageKey, StorageOp } from './storage/adapter.js';
export { compareKeys, hasPrefix, ordinalKey } from './storage/adapter.js';
export { MemoryStorage, validateOp } from './storage/memory-storage.js';
