import {
  type CausalContext,
  ctxAdd,
  ctxEquals,
  ctxHasKey,
  ctxUnion,
  emptyContext,
  readCausalContext,
  writeCausalContext,
} from '../clocks/causal-context.js';
import { type Dot, parseDotKey } from '../clocks/dot.js';
import { decodeEnvelope, encodeEnvelope, type Tag } from '../encoding/envelope.js';
import type { CrdtType } from '../kernel/crdt.js';
import type { DotStoreType } from './dot-store.js';

/** A causal CRDT state: a dot store and the causal context it shares with nested stores. */
export interface Causal<S> {
  readonly store: S;
  readonly ctx: CausalContext;
}

/** Makes a CRDT type out of a dot store type. */
export function causalType<S>(
  name: string,
  tag: Tag,
  storeType: DotStoreType<S>,
): CrdtType<Causal<S>> {
  const type: CrdtType<Causal<S>> = {
    name,
    empty: () => ({ store: storeType.empty(), ctx: emptyContext() }),
    join: (a, b) => ({
      store: storeType.join(a.store, a.ctx, b.store, b.ctx),
      ctx: ctxUnion(a.ctx, b.ctx),
    }),
    equals: (a, b) => ctxEquals(a.ctx, b.ctx) && storeType.equals(a.store, b.store),
    write(w, state) {
      writeCausalContext(w, state.ctx);
      storeType.write(w, state.store);
    },
    read(r) {
      const ctx = readCausalContext(r);
      const store = storeType.read(r, 0);
      storeType.dots(store, (d) => {
        if (!ctxHasKey(ctx, d)) r.fail('a live dot is missing from the causal context');
      });
      return { store, ctx };
    },
    encode: (state) => encodeEnvelope(tag, (w) => type.write(w, state)),
    decode: (bytes) => decodeEnvelope(bytes, tag, (r) => type.read(r)),
  };
  return type;
}

/** The dots of a store, as a causal context: what a remove must cover. */
export function storeContext<S>(storeType: DotStoreType<S>, store: S, extra?: Dot): CausalContext {
  const ctx = emptyContext();
  storeType.dots(store, (key) => {
    const { actor, counter } = parseDotKey(key);
    ctxAdd(ctx, actor, counter);
  });
  if (extra) ctxAdd(ctx, extra.actor, extra.counter);
  return ctx;
}
