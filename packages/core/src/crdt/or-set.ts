import { ctxAdd, ctxClone, ctxNextDot } from '../clocks/causal-context.js';
import { dotKey } from '../clocks/dot.js';
import { Tag } from '../encoding/envelope.js';
import { compareValues, isValueKey, keyToValue, type Value, valueKey } from '../encoding/value.js';
import type { ActorId } from '../kernel/actor.js';
import { type Causal, causalType, storeContext } from './causal.js';
import { type DotMap, type DotSet, dotMap, dotSet } from './dot-store.js';

/**
 * Add-wins observed-remove set. Each element maps to the dots of the adds that put it there;
 * a remove drops those dots and leaves nothing behind but the causal context, so an add the
 * remover had not seen survives.
 *
 * Elements are Values, keyed by their canonical encoding (`valueKey`).
 */
export type ORSet = Causal<DotMap<DotSet>>;

export const orSetStore = dotMap(dotSet, isValueKey);
export const ORSetType = causalType<DotMap<DotSet>>('ORSet', Tag.orSet, orSetStore);

export function orSetAdd(state: ORSet, actor: ActorId, element: Value): ORSet {
  const key = valueKey(element);
  const dot = ctxNextDot(state.ctx, actor);
  const own = state.store.get(key);
  return {
    store: new Map([[key, new Set([dotKey(actor, dot.counter)])]]),
    ctx: storeContext(orSetStore, own ? new Map([[key, own]]) : new Map(), dot),
  };
}

export function orSetRemove(state: ORSet, element: Value): ORSet {
  const own = state.store.get(valueKey(element));
  return {
    store: new Map(),
    ctx: storeContext(orSetStore, own ? new Map([['', own]]) : new Map()),
  };
}

export function orSetAddFull(state: ORSet, actor: ActorId, element: Value): ORSet {
  const dot = ctxNextDot(state.ctx, actor);
  const store = new Map(state.store);
  store.set(valueKey(element), new Set([dotKey(actor, dot.counter)]));
  const ctx = ctxClone(state.ctx);
  ctxAdd(ctx, actor, dot.counter);
  return { store, ctx };
}

export function orSetRemoveFull(state: ORSet, element: Value): ORSet {
  const store = new Map(state.store);
  store.delete(valueKey(element));
  return { store, ctx: ctxClone(state.ctx) };
}

export function orSetHas(state: ORSet, element: Value): boolean {
  return state.store.has(valueKey(element));
}

/** The elements, sorted by `compareValues`. */
export function orSetValues(state: ORSet): Value[] {
  return [...state.store.keys()].map(keyToValue).sort(compareValues);
}
