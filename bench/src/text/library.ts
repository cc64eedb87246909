import type { ConcurrentTrace, TraceTxn } from '@weft/core';

/** A value, or a promise of it (the database path is asynchronous where storage is). */
export type Awaitable<T> = T | Promise<T>;

/** Two peers that typed concurrently, ready to exchange what the other lacks. */
export interface MergeFixture<D> {
  /** Fresh copies of the two peers (untimed). */
  fresh(): Awaitable<[D, D]>;
  /** Timed: each side encodes what the other lacks, the other applies it. Returns both texts. */
  exchange(a: D, b: D): Awaitable<[string, string]>;
}

/** What the text benchmark asks of each library (one adapter per library, in its own file). */
export interface TextLibrary<D> {
  readonly name: string;
  readonly version: string;
  /** A fresh document that replays `txns`, one transaction per txn. */
  replay(txns: readonly TraceTxn[]): Awaitable<D>;
  text(doc: D): string;
  /** The whole document with its history, in the library's own format. */
  encode(doc: D): Uint8Array;
  load(bytes: Uint8Array): Awaitable<D>;
  /** Two peers each type `txns` from the same empty document (untimed). */
  mergeFixture(txns: readonly TraceTxn[]): Awaitable<MergeFixture<D>>;
  /** Replays a concurrent trace with one replica per agent; the final text. */
  concurrent(trace: ConcurrentTrace): Awaitable<string>;
  /** Frees what the garbage collector cannot see (wasm memory), if anything. */
  free?(doc: D): void;
}
