// The editing traces of the text benchmark: the copies the core's tests use (see
// packages/core/test/text/traces/SOURCES.md for their source and licence, CC BY 4.0). Their
// types and the replay of concurrent traces are the core's, shared with its tests (under the
// bench's short names here); loading the files and what only the bench needs are in this file.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  type ConcurrentTrace,
  replayConcurrentTrace,
  type TraceReplayer,
  type TraceTxn,
} from '@weft/core';

export type {
  ConcurrentTrace,
  SequentialTrace,
  TracePatch as Patch,
  TraceTxn as Txn,
} from '@weft/core';

const dir = new URL('../../../packages/core/test/text/traces/', import.meta.url);

export function loadTrace<T>(name: string): T {
  return JSON.parse(gunzipSync(readFileSync(new URL(`${name}.json.gz`, dir))).toString('utf8'));
}

/** The content after `txns`, by plain string splicing (the reference for a truncated trace). */
export function spliceAll(txns: readonly TraceTxn[]): string {
  let s = '';
  for (const txn of txns) {
    for (const [pos, del, ins] of txn.patches) s = s.slice(0, pos) + ins + s.slice(pos + del);
  }
  return s;
}

/**
 * Replays a concurrent trace (`replayConcurrentTrace`: one replica per agent) and returns the
 * text of the last transaction's replica; then frees every replica, for libraries whose
 * memory the garbage collector cannot see (wasm).
 */
export function replayConcurrent<R, U>(
  trace: ConcurrentTrace,
  lib: TraceReplayer<R, U> & { text(replica: R): string; free?(replica: R): void },
): string {
  const { replicas, last } = replayConcurrentTrace(trace, lib);
  const text = lib.text(last);
  if (lib.free) for (const replica of replicas) lib.free(replica);
  return text;
}
