import { type CausalContext, ctxHasKey } from '../clocks/causal-context.js';
import { type DotKey, dotKey, parseDotKey } from '../clocks/dot.js';
import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';

/**
 * Dot stores (Almeida, Shoker, Baquero: "Delta State Replicated Data Types", 2018). A causal
 * CRDT is a dot store plus a causal context; the store holds the live dots, the context every
 * dot ever seen, so a dot in the context but not in the store was removed. Joining two stores
 * needs both contexts: a dot survives if both sides have it, or if one side has it and the
 * other side never saw it.
 *
 * Dot stores nest (a DotMap's values are dot stores), and all levels share one context.
 */
export interface DotStoreType<S> {
  empty(): S;
  isEmpty(store: S): boolean;
  join(a: S, ca: CausalContext, b: S, cb: CausalContext): S;
  /** Calls `visit` with every dot in the store. */
  dots(store: S, visit: (key: DotKey) => void): void;
  equals(a: S, b: S): boolean;
  write(w: Writer, store: S): void;
  /** Reads a store; `depth` bounds nesting so forged input cannot exhaust the stack. */
  read(r: Reader, depth: number): S;
}

/** How values inside a DotFun are encoded and compared. */
export interface ValueCodec<V> {
  write(w: Writer, value: V): void;
  read(r: Reader): V;
  equals(a: V, b: V): boolean;
}

export const MAX_STORE_DEPTH = 64;

// ---------------------------------------------------------------------------------------
// DotSet: a set of dots (an add-wins set's entry, an enable-wins flag).

export type DotSet = ReadonlySet<DotKey>;

export const dotSet: DotStoreType<DotSet> = {
  empty: () => new Set(),
  isEmpty: (s) => s.size === 0,
  join(a, ca, b, cb) {
    const out = new Set<DotKey>();
    for (const d of a) if (b.has(d) || !ctxHasKey(cb, d)) out.add(d);
    for (const d of b) if (!ctxHasKey(ca, d)) out.add(d);
    return out;
  },
  dots(s, visit) {
    for (const d of s) visit(d);
  },
  equals: (a, b) => a.size === b.size && [...a].every((d) => b.has(d)),
  write(w, s) {
    w.varuint(s.size);
    for (const d of sortedDots(s)) writeDot(w, d);
  },
  read(r) {
    const n = r.count(2);
    const out = new Set<DotKey>();
    for (let i = 0; i < n; i++) {
      const d = readDot(r);
      if (out.has(d)) r.fail('duplicate dot');
      out.add(d);
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------
// DotFun: dots mapped to immutable values (a multi-value register, a causal counter).

export type DotFun<V> = ReadonlyMap<DotKey, V>;

export function dotFun<V>(codec: ValueCodec<V>): DotStoreType<DotFun<V>> {
  return {
    empty: () => new Map(),
    isEmpty: (m) => m.size === 0,
    join(a, ca, b, cb) {
      const out = new Map<DotKey, V>();
      // A dot names one event, so both sides hold the same value for it.
      for (const [d, v] of a) if (b.has(d) || !ctxHasKey(cb, d)) out.set(d, v);
      for (const [d, v] of b) if (!a.has(d) && !ctxHasKey(ca, d)) out.set(d, v);
      return out;
    },
    dots(m, visit) {
      for (const d of m.keys()) visit(d);
    },
    equals(a, b) {
      if (a.size !== b.size) return false;
      for (const [d, v] of a) {
        const other = b.get(d);
        if (other === undefined || !codec.equals(v, other)) return false;
      }
      return true;
    },
    write(w, m) {
      w.varuint(m.size);
      for (const d of sortedDots(m.keys())) {
        writeDot(w, d);
        codec.write(w, m.get(d)!);
      }
    },
    read(r) {
      const n = r.count(3);
      const out = new Map<DotKey, V>();
      for (let i = 0; i < n; i++) {
        const d = readDot(r);
        if (out.has(d)) r.fail('duplicate dot');
        out.set(d, codec.read(r));
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------
// DotMap: string keys mapped to nested dot stores (an OR-map, an OR-set's elements).

export type DotMap<S> = ReadonlyMap<string, S>;

/** `validKey` restricts the keys a decoded map may have (an OR-set's are element encodings). */
export function dotMap<S>(
  inner: DotStoreType<S>,
  validKey: (key: string) => boolean = () => true,
): DotStoreType<DotMap<S>> {
  return {
    empty: () => new Map(),
    isEmpty: (m) => m.size === 0,
    join(a, ca, b, cb) {
      const out = new Map<string, S>();
      const empty = inner.empty();
      for (const [k, v] of a) {
        const joined = inner.join(v, ca, b.get(k) ?? empty, cb);
        if (!inner.isEmpty(joined)) out.set(k, joined);
      }
      for (const [k, v] of b) {
        if (a.has(k)) continue;
        const joined = inner.join(empty, ca, v, cb);
        if (!inner.isEmpty(joined)) out.set(k, joined);
      }
      return out;
    },
    dots(m, visit) {
      for (const v of m.values()) inner.dots(v, visit);
    },
    equals(a, b) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) {
        const other = b.get(k);
        if (other === undefined || !inner.equals(v, other)) return false;
      }
      return true;
    },
    write(w, m) {
      const keys = [...m.keys()].sort();
      w.varuint(keys.length);
      for (const k of keys) {
        w.string(k);
        inner.write(w, m.get(k)!);
      }
    },
    read(r, depth) {
      if (depth > MAX_STORE_DEPTH) r.fail(`stores nested deeper than ${MAX_STORE_DEPTH}`);
      const n = r.count(2);
      const out = new Map<string, S>();
      let previous: string | undefined;
      for (let i = 0; i < n; i++) {
        const k = r.string();
        if (previous !== undefined && !(k > previous)) r.fail('map keys out of order');
        if (!validKey(k)) r.fail('invalid map key');
        previous = k;
        const v = inner.read(r, depth + 1);
        if (inner.isEmpty(v)) r.fail(`empty entry for key "${k}"`);
        out.set(k, v);
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------

function sortedDots(dots: Iterable<DotKey>): DotKey[] {
  return [...dots].sort();
}

function writeDot(w: Writer, key: DotKey): void {
  const { actor, counter } = parseDotKey(key);
  w.actor(actor);
  w.varuint(counter);
}

function readDot(r: Reader): DotKey {
  const actor = r.actor();
  const counter = r.varuint();
  if (counter === 0) r.fail('dot counter of 0');
  return dotKey(actor, counter);
}
