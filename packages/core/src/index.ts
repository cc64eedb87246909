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
export type { Patch, WithId } from './database/collection.js';
export { Collection } from './database/collection.js';
export type { CollectionOptions, DocChange } from './database/collection-view.js';
export type { DatabaseOptions } from './database/database.js';
export { Database, openDatabase } from './database/database.js';
export type { HistoryEntry } from './database/history.js';
export { newDocId } from './database/ids.js';
export type { SpaceSummary } from './database/inspect.js';
export { documentConflicts, spaceSummary } from './database/inspect.js';
export type { LiveCallback, ResultChange } from './database/live-query.js';
export type { PersistOptions } from './database/persister.js';
export type { InferOutput, StandardResult, StandardSchemaV1 } from './database/schema.js';
export { Space } from './database/space.js';
export { keys as storageKeys } from './database/storage-keys.js';
export type { FieldKind, FieldKinds } from './document/diff.js';
export type { ConflictValue, Doc } from './document/read.js';
export {
  decodeEnvelope,
  encodeEnvelope,
  FORMAT_VERSION,
  formatVersion,
  Tag,
} from './encoding/envelope.js';
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
export type { ChangeRejection, SchemaIssue, WeftErrorCode } from './errors.js';
// Queries: a where/orderBy/limit/cursor language over materialized docs, sorted secondary
// indexes and a planner (see src/query/). Their `Doc` is the same shape as document/read's.
export {
  AlreadyExistsError,
  ChangeRejectedError,
  ClockDriftError,
  ClosedError,
  DecodeError,
  HistoryNotLoadedError,
  HistoryUnavailableError,
  InvalidValueError,
  NotFoundError,
  ProtocolError,
  QueryError,
  SchemaValidationError,
  StorageFailedError,
  WeftError,
} from './errors.js';
export type { ActorId } from './kernel/actor.js';
export { randomActorId } from './kernel/actor.js';
export type { CrdtType } from './kernel/crdt.js';
export { CrdtReplica } from './kernel/crdt-replica.js';
export type { AddResult, RunSummary } from './log/change-log.js';
export { ChangeLog } from './log/change-log.js';
export type { Hash } from './log/hash.js';
export type { Change, ChangeEntry, Run, UnsealedRun } from './log/run.js';
export { computeRunHash, decodeRuns, encodeRuns, makeChange, runEnd, sealRun } from './log/run.js';
export { nextTurnQueue } from './next-turn.js';
export type {
  AndFilter,
  CompareFilter,
  CompareOp,
  CompiledQuery,
  ContainsFilter,
  ExistsFilter,
  FieldFilter,
  Filter,
  InFilter,
  NotFilter,
  OrderKey,
  OrFilter,
  SortValue,
  StartsWithFilter,
} from './query/ast.js';
export type { IndexInfo } from './query/collection-indexes.js';
export { CollectionIndexes } from './query/collection-indexes.js';
export { compileQuery } from './query/compile-query.js';
export type { DocSource, QueryResult } from './query/execute.js';
export { countQuery, executeQuery } from './query/execute.js';
export { explainPlan } from './query/explain.js';
export type { IndexBounds, RangeCondition, RangeOp } from './query/index-bounds.js';
export { matches } from './query/matches.js';
export type { PlanOptions, QueryPlan } from './query/plan.js';
export { planQuery } from './query/plan.js';
export { compareSortValues } from './query/sort-key.js';
export type { Condition, Operator, OrderTerm, QuerySpec, Where } from './query/spec.js';
export { OPERATORS } from './query/spec.js';
// Simulator: replicas on a faulty simulated network, checked against an oracle (src/sim/).
export type { SimFaults, Topology } from './sim/config.js';
export { SimulationError } from './sim/errors.js';
export type { LinkFaults, MessageInfo, NetworkStats } from './sim/network.js';
export type { SimCursorOp, SimDoc, SimEdit, SimOp, SimWrite } from './sim/ops.js';
export type {
  SimFaultCounts,
  SimHooks,
  SimReplicaView,
  SimulationOptions,
  SimulationReport,
  SimWorld,
} from './sim/options.js';
export { Prng } from './sim/prng.js';
export { simulate } from './sim/simulate.js';
export type { Workload, WorkloadContext } from './sim/workload.js';
export { defaultWorkload } from './sim/workload.js';
export type { AcceptanceSetup, TestHarness } from './storage/acceptance.js';
export { runStorageAcceptance } from './storage/acceptance.js';
export type { StorageAdapter, StorageEntry, StorageKey, StorageOp } from './storage/adapter.js';
export { compareKeys, hasPrefix, ordinalKey } from './storage/adapter.js';
export { MemoryStorage, validateOp } from './storage/memory-storage.js';
export type { SyncMessage } from './sync/messages.js';
export { decodeMessage, encodeMessage, PROTOCOL_VERSION } from './sync/messages.js';
export type { SyncSessionOptions } from './sync/session.js';
export { SyncSession } from './sync/session.js';
export type { Transport } from './sync/transport.js';
export { memoryTransportPair } from './sync/transport.js';
// Text and lists: a FugueMax sequence CRDT over runs in a B-tree (src/text/).
export type { ContentOps } from './text/content.js';
export {
  InvalidOriginsError,
  InvalidPositionError,
  MissingDependencyError,
} from './text/errors.js';
export type { ListInsertOp, ListOp } from './text/list-crdt.js';
export { ListCrdt } from './text/list-crdt.js';
export { decodeListOps, decodeTextOps, encodeListOps, encodeTextOps } from './text/op-codec.js';
export type { Anchor, SeqDeleteOp, SeqId, SeqIdRange, SeqInsertOp, SeqOp } from './text/ops.js';
export { SeqCrdt } from './text/seq-crdt.js';
export type { TextInsertOp, TextOp } from './text/text-crdt.js';
export { TextCrdt } from './text/text-crdt.js';
// Editing traces (real typing histories) replayed by the text tests and the text benchmark.
export type {
  ConcurrentTrace,
  ConcurrentTraceTxn,
  SequentialTrace,
  TracePatch,
  TraceReplayer,
  TraceTxn,
} from './text/traces.js';
export { replayConcurrentTrace } from './text/traces.js';
