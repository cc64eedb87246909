// The planner: picks an index scan or a full scan for a compiled query. The plan is data.
//
// An index fits when the top-level conjuncts give equality on a prefix of its fields and,
// optionally, range conditions (lt/lte/gt/gte/startsWith) on the next field. It can also
// deliver the rows already sorted, when the order terms (ignoring fields fixed by equality)
// are exactly its remaining fields, all in one direction, then id; a backward scan serves
// descending orders. Ranking: most fields fixed by equality, then a range, then delivers the
// order, then fewer fields, then name. An index that only delivers the order is used when
// the query has a limit (the scan stops early). Otherwise: a full scan.
import type { Value } from '../encoding/value.js';
import type { CompiledQuery, Filter, OrderKey } from './ast.js';
import type { CollectionIndexes } from './collection-indexes.js';
import { conjunction } from './compile-where.js';
import type { IndexBounds, RangeCondition } from './index-bounds.js';
import { orderDirection } from './index-order.js';
import type { SortedIndex } from './sorted-index.js';

export interface QueryPlan {
  readonly kind: 'index-scan' | 'full-scan';
  /** The index scanned (index-scan only). */
  readonly index?: string;
  /** The equality prefix and range the index scan is limited to (index-scan only). */
  readonly bounds?: IndexBounds;
  /** Index order or reversed (index-scan only). */
  readonly direction?: 'forward' | 'backward';
  /** Whether each candidate doc is checked against a filter (what the bounds do not cover). */
  readonly residual: boolean;
  /** That filter. */
  readonly residualFilter?: Filter;
  /** 'index': rows come out in order; 'memory': sorted after filtering; 'none': unordered. */
  readonly sortedBy: 'index' | 'memory' | 'none';
  /** The order the rows are returned in (empty when unordered). */
  readonly order: readonly OrderKey[];
  /** Docs the scan visits before the residual filter and cursor: exact, not an estimate. */
  readonly candidates: number;
  /** Whether the query continues after a cursor. */
  readonly after: boolean;
  readonly limit?: number;
  readonly offset?: number;
}

export interface PlanOptions {
  /** Plan for counting: no order, limit, offset or cursor. */
  readonly count?: boolean;
}

interface Candidate {
  readonly index: SortedIndex;
  readonly bounds: IndexBounds;
  readonly used: ReadonlySet<Filter>;
  readonly direction: 'forward' | 'backward' | undefined;
}

export function planQuery(
  query: CompiledQuery,
  indexes: CollectionIndexes,
  sourceSize: number,
  options: PlanOptions = {},
): QueryPlan {
  const count = options.count === true;
  const conjuncts = flattenAnd(query.filter);
  const ordered = !count;
  let best: Candidate | undefined;
  for (const index of indexes.indexes) {
    const candidate = fit(index, conjuncts, ordered ? query.order : undefined);
    const useful =
      candidate.bounds.equal.length > 0 ||
      candidate.bounds.range !== undefined ||
      (candidate.direction !== undefined && query.limit !== undefined);
    if (useful && (best === undefined || better(candidate, best))) best = candidate;
  }
  const common = {
    after: !count && query.after !== undefined,
    order: ordered ? query.order : [],
    ...(!count && query.limit !== undefined ? { limit: query.limit } : {}),
    ...(!count && query.offset > 0 ? { offset: query.offset } : {}),
  };
  if (best === undefined) {
    return Object.freeze({
      kind: 'full-scan',
      ...residualOf(conjuncts, new Set()),
      sortedBy: ordered ? 'memory' : 'none',
      candidates: sourceSize,
      ...common,
    });
  }
  const [lo, hi] = best.index.range(best.bounds);
  return Object.freeze({
    kind: 'index-scan',
    index: best.index.name,
    bounds: best.bounds,
    direction: best.direction ?? 'forward',
    ...residualOf(conjuncts, best.used),
    sortedBy: !ordered ? 'none' : best.direction ? 'index' : 'memory',
    candidates: hi - lo,
    ...common,
  });
}

/** The top-level conjuncts of a filter (nested ands flattened). */
export function flattenAnd(filter: Filter | undefined): Filter[] {
  if (filter === undefined) return [];
  return filter.kind === 'and' ? filter.filters.flatMap(flattenAnd) : [filter];
}

function fit(
  index: SortedIndex,
  conjuncts: readonly Filter[],
  order: readonly OrderKey[] | undefined,
): Candidate {
  const used = new Set<Filter>();
  const equal: { field: string; value: Value }[] = [];
  for (const field of index.fields) {
    const eq = conjuncts.find((f) => f.kind === 'compare' && f.op === 'eq' && f.field === field);
    if (eq?.kind !== 'compare') break;
    equal.push(Object.freeze({ field, value: eq.value }));
    used.add(eq);
  }
  const next = index.fields[equal.length];
  const conditions: RangeCondition[] = [];
  for (const f of conjuncts) {
    if (next === undefined || !('field' in f) || f.field !== next) continue;
    let condition: RangeCondition;
    if (f.kind === 'startsWith') condition = { op: 'startsWith', value: f.prefix };
    else if (f.kind === 'compare' && f.op !== 'eq' && f.op !== 'ne') {
      condition = { op: f.op, value: f.value };
    } else continue;
    conditions.push(Object.freeze(condition));
    used.add(f);
  }
  const bounds: IndexBounds = Object.freeze({
    equal: Object.freeze(equal),
    ...(next !== undefined && conditions.length > 0
      ? { range: Object.freeze({ field: next, conditions: Object.freeze(conditions) }) }
      : {}),
  });
  // A field with an equality conjunct holds one value in every result row, so an order term
  // on it is a no-op, unless the scan orders by it: then the rows that fail the equality
  // interleave, and the run as a whole (where a cursor is looked up) is in index order only.
  const rest = index.fields.slice(equal.length);
  const fixed = new Set(
    conjuncts.flatMap((f) =>
      f.kind === 'compare' && f.op === 'eq' && !rest.includes(f.field) ? [f.field] : [],
    ),
  );
  const direction = order && orderDirection(order, rest, fixed);
  return { index, bounds, used, direction };
}

function better(a: Candidate, b: Candidate): boolean {
  const score = (c: Candidate) => [
    c.bounds.equal.length,
    c.bounds.range ? 1 : 0,
    c.direction ? 1 : 0,
    -c.index.fields.length,
  ];
  const sa = score(a);
  const sb = score(b);
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i]! > sb[i]!;
  return a.index.name < b.index.name;
}

function residualOf(
  conjuncts: readonly Filter[],
  used: ReadonlySet<Filter>,
): { residual: boolean; residualFilter?: Filter } {
  const rest = conjuncts.filter((f) => !used.has(f));
  if (rest.length === 0) return { residual: false };
  return { residual: true, residualFilter: conjunction(rest) };
}
