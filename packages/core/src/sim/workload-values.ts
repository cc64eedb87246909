import { setOwn, type Value } from '../encoding/value.js';
import type { Prng } from './prng.js';

// Random values for the default workload's fields: any value Weft stores (scalars, the exotic
// numbers, nested arrays and objects, bytes), and the small vocabularies fields draw from.

export const STRINGS = ['', 'a', 'b', 'milk', 'eggs', 'Ünïcødé', '😀 emoji', 'x'.repeat(40)];
export const STATUSES = ['todo', 'doing', 'done'];
export const TAGS = ['red', 'green', 'blue', 'x', 'y'];
const EXOTIC = [-0, Number.NaN, Number.POSITIVE_INFINITY, -1e300, 2 ** 53 - 1, 2 ** 40, 0.1];

export function scalar(rng: Prng): Value {
  switch (rng.weighted([5, 4, 2, 2, 1, 1])) {
    case 0:
      return rng.pick(STRINGS);
    case 1:
      return rng.between(-5, 9);
    case 2:
      return Math.round(rng.next() * 1000) / 8;
    case 3:
      return rng.chance(0.5);
    case 4:
      return null;
    default:
      return rng.pick(EXOTIC);
  }
}

export function anyValue(rng: Prng, depth = 0): Value {
  const r = depth > 2 ? 0 : rng.weighted([10, 3, 3, 1, 1, 1]);
  switch (r) {
    case 0:
      return scalar(rng);
    case 1:
      return Array.from({ length: rng.int(4) }, () => anyValue(rng, depth + 1));
    case 2: {
      const out: { [k: string]: Value } = {};
      for (const k of rng.shuffle(['p', 'q', 'r']).slice(0, 1 + rng.int(3)))
        setOwn(out, k, anyValue(rng, depth + 1));
      return out;
    }
    case 3:
      return rng.bytes(rng.int(5));
    case 4:
      return {};
    default:
      return [];
  }
}

export function tags(rng: Prng): string[] {
  return Array.from({ length: rng.int(4) }, () => rng.pick(TAGS));
}
