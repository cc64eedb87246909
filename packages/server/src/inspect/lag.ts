import type { VersionVector } from '@weft/core';

/** How many changes `have` holds that a replica with vector `known` lacks. */
export function changesBehind(have: VersionVector, known: VersionVector): number {
  let behind = 0;
  for (const [actor, seq] of have) behind += Math.max(0, seq - (known.get(actor) ?? 0));
  return behind;
}

/** A version vector as JSON: one entry per actor, sorted by actor. */
export function vectorJson(vector: VersionVector): { actor: string; seq: number }[] {
  return [...vector]
    .map(([actor, seq]) => ({ actor, seq }))
    .sort((a, b) => (a.actor < b.actor ? -1 : a.actor > b.actor ? 1 : 0));
}
