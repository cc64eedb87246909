import type { ActorId } from '../kernel/actor.js';

/** One event: the `counter`-th event of `actor`. Dots tag every element of a causal CRDT. */
export interface Dot {
  readonly actor: ActorId;
  readonly counter: number;
}

/** A dot as a Map/Set key: `counter@actor` (counter first, so the first '@' separates). */
export type DotKey = string;

export function dotKey(actor: ActorId, counter: number): DotKey {
  return `${counter}@${actor}`;
}

export function parseDotKey(key: DotKey): Dot {
  const at = key.indexOf('@');
  return { actor: key.slice(at + 1), counter: Number(key.slice(0, at)) };
}
