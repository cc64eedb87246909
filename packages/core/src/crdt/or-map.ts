import { ctxClone } from '../clocks/causal-context.js';
import { type Tag, Tag as Tags } from '../encoding/envelope.js';
import type { CrdtType } from '../kernel/crdt.js';
import { type Causal, causalType, storeContext } from './causal.js';
import { type DotMap, type DotStoreType, dotMap } from './dot-store.js';

/**
 * Observed-remove map whose values are themselves causal CRDTs (registers, sets, counters,
 * maps: nested to any depth), all sharing the map's one causal context. Updating a key
 * applies a nested delta; removing a key removes the dots it had seen, so a concurrent update
 * of that key survives (update wins over remove).
 */
export type ORMap<S> = Causal<DotMap<S>>;

export interface ORMapKind<S> {
  /** The CRDT type of the whole map. */
  readonly type: CrdtType<ORMap<S>>;
  /** The dot store of the map, to nest it inside another map. */
  readonly store: DotStoreType<DotMap<S>>;
  /** The dot store of its values. */
  readonly values: DotStoreType<S>;
}

export function orMapKind<S>(values: DotStoreType<S>, tag: Tag = Tags.orMap): ORMapKind<S> {
  const store = dotMap(values);
  return { type: causalType('ORMap', tag, store), store, values };
}

/** A key's value as a causal state of its own (absent keys read as empty). */
export function orMapGet<S>(kind: ORMapKind<S>, state: ORMap<S>, key: string): Causal<S> {
  return { store: state.store.get(key) ?? kind.values.empty(), ctx: state.ctx };
}

/**
 * Delta of updating `key` with a nested delta mutator: `mutate` receives the key's current
 * value (sharing the map's context) and returns the nested delta.
 */
export function orMapUpdate<S>(
  kind: ORMapKind<S>,
  state: ORMap<S>,
  key: string,
  mutate: (value: Causal<S>) => Causal<S>,
): ORMap<S> {
  const delta = mutate(orMapGet(kind, state, key));
  const store = new Map<string, S>();
  if (!kind.values.isEmpty(delta.store)) store.set(key, delta.store);
  return { store, ctx: delta.ctx };
}

/** Delta of removing `key`: no live dots, a context holding every dot the key had. */
export function orMapRemove<S>(kind: ORMapKind<S>, state: ORMap<S>, key: string): ORMap<S> {
  const value = state.store.get(key);
  return {
    store: new Map(),
    ctx:
      value === undefined ? storeContext(kind.store, new Map()) : storeContext(kind.values, value),
  };
}

/** Full-state update (the reference for `orMapUpdate`): `mutate` returns the whole new value. */
export function orMapUpdateFull<S>(
  kind: ORMapKind<S>,
  state: ORMap<S>,
  key: string,
  mutate: (value: Causal<S>) => Causal<S>,
): ORMap<S> {
  const next = mutate(orMapGet(kind, state, key));
  const store = new Map(state.store);
  if (kind.values.isEmpty(next.store)) store.delete(key);
  else store.set(key, next.store);
  return { store, ctx: next.ctx };
}

export function orMapRemoveFull<S>(state: ORMap<S>, key: string): ORMap<S> {
  const store = new Map(state.store);
  store.delete(key);
  return { store, ctx: ctxClone(state.ctx) };
}

export function orMapKeys<S>(state: ORMap<S>): string[] {
  return [...state.store.keys()].sort();
}
