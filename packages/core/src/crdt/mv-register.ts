import { ctxAdd, ctxClone, ctxNextDot } from '../clocks/causal-context.js';
import { dotKey } from '../clocks/dot.js';
import { Tag } from '../encoding/envelope.js';
import {
  compareValues,
  readValue,
  type Value,
  valueEquals,
  valueKey,
  writeValue,
} from '../encoding/value.js';
import type { ActorId } from '../kernel/actor.js';
import { type Causal, causalType, storeContext } from './causal.js';
import { type DotFun, dotFun, type ValueCodec } from './dot-store.js';

/**
 * Multi-value register: a write replaces every value its writer had seen; concurrent writes
 * all survive until a later write covers them.
 */
export type MVRegister = Causal<DotFun<Value>>;

export const valueCodec: ValueCodec<Value> = {
  write: (w, v) => writeValue(w, v),
  read: (r) => readValue(r),
  equals: valueEquals,
};

export const mvRegisterStore = dotFun(valueCodec);
export const MVRegisterType = causalType<DotFun<Value>>(
  'MVRegister',
  Tag.mvRegister,
  mvRegisterStore,
);

/** Delta of writing `value`: the new dot, and a context that covers the values it replaces. */
export function mvRegisterWrite(state: MVRegister, actor: ActorId, value: Value): MVRegister {
  const dot = ctxNextDot(state.ctx, actor);
  return {
    store: new Map([[dotKey(actor, dot.counter), value]]),
    ctx: storeContext(mvRegisterStore, state.store, dot),
  };
}

/** The same write applied to the whole state (the reference the delta is tested against). */
export function mvRegisterWriteFull(state: MVRegister, actor: ActorId, value: Value): MVRegister {
  const dot = ctxNextDot(state.ctx, actor);
  const ctx = ctxClone(state.ctx);
  ctxAdd(ctx, actor, dot.counter);
  return { store: new Map([[dotKey(actor, dot.counter), value]]), ctx };
}

/** The current values (one, or several after concurrent writes), sorted by `compareValues`. */
export function mvRegisterValues(state: MVRegister): Value[] {
  const byKey = new Map<string, Value>();
  for (const v of state.store.values()) byKey.set(valueKey(v), v);
  return [...byKey.values()].sort(compareValues);
}
