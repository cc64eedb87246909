// Whether an index delivers rows already in a query's order, so the executor can skip the
// sort and stop at the limit.
import type { OrderKey } from './ast.js';

/**
 * Whether scanning an index run whose entries are ordered by `fields` then id (forward or
 * backward) is a scan in `order`. Order terms on `fixed` fields (constant across the run's
 * result rows, and not among `fields`) or on repeated fields change nothing and are skipped;
 * everything after an `id` term is irrelevant.
 */
export function orderDirection(
  order: readonly OrderKey[],
  fields: readonly string[],
  fixed: ReadonlySet<string>,
): 'forward' | 'backward' | undefined {
  const wanted = effective(
    order.map((t) => [t.field, t.desc] as const),
    fixed,
  );
  if (wanted.length === 0) return 'forward';
  const desc = wanted[0]![1];
  const scan = effective(
    [...fields, 'id'].map((f) => [f, desc] as const),
    new Set(),
  );
  const same =
    wanted.length === scan.length &&
    wanted.every(([field, d], i) => field === scan[i]![0] && d === desc);
  if (!same) return undefined;
  return desc ? 'backward' : 'forward';
}

function effective(
  terms: readonly (readonly [string, boolean])[],
  fixed: ReadonlySet<string>,
): (readonly [string, boolean])[] {
  const seen = new Set<string>();
  const out: (readonly [string, boolean])[] = [];
  for (const term of terms) {
    if (fixed.has(term[0]) || seen.has(term[0])) continue;
    seen.add(term[0]);
    out.push(term);
    if (term[0] === 'id') break;
  }
  return out;
}
