// Runs a plan against the docs of a collection. The reference result of every query is
// "full scan + filter + sort + cursor + offset/limit"; index scans must return exactly that.
import type { Value } from '../encoding/value.js';
import { assert } from '../errors.js';
import type { CompiledQuery, SortValue } from './ast.js';
import type { CollectionIndexes } from './collection-indexes.js';
import { encodeCursor } from './cursor.js';
import type { Doc } from './doc.js';
import { matches } from './matches.js';
import { flattenAnd, planQuery, type QueryPlan } from './plan.js';
import { compareSortKeys, sortKeyOf } from './sort-key.js';
import type { IndexEntry, SortedIndex } from './sorted-index.js';

/** The docs of one collection, by id. */
export interface DocSource {
  get(id: string): Doc | undefined;
  values(): Iterable<Doc>;
  readonly size: number;
}

export interface QueryResult {
  readonly docs: Doc[];
  readonly plan: QueryPlan;
  /** Set when `limit` cut the result: pass it as `after` to get the next page. */
  readonly nextCursor: string | undefined;
}

interface Row {
  readonly doc: Doc;
  readonly key: readonly SortValue[];
}

export function executeQuery(
  query: CompiledQuery,
  source: DocSource,
  indexes: CollectionIndexes,
): QueryResult {
  const plan = planQuery(query, indexes, source.size);
  const rows =
    plan.sortedBy === 'index'
      ? orderedRows(query, plan, source, indexes)
      : sortedRows(query, plan, source, indexes);
  const end = query.limit === undefined ? rows.length : query.offset + query.limit;
  const page = rows.slice(query.offset, end);
  const last = page.at(-1);
  const nextCursor =
    last !== undefined && rows.length > end ? encodeCursor(query.order, last.key) : undefined;
  return { docs: page.map((row) => row.doc), plan, nextCursor };
}

/** How many docs match the filter; `orderBy`, `limit`, `offset` and `after` are ignored. */
export function countQuery(
  query: CompiledQuery,
  source: DocSource,
  indexes: CollectionIndexes,
): number {
  const plan = planQuery(query, indexes, source.size, { count: true });
  if (!plan.residual) return plan.candidates;
  let n = 0;
  for (const doc of candidates(plan, source, indexes)) if (matches(plan.residualFilter, doc)) n++;
  return n;
}

/** Every matching row after the cursor, sorted in memory. */
function sortedRows(
  query: CompiledQuery,
  plan: QueryPlan,
  source: DocSource,
  indexes: CollectionIndexes,
): Row[] {
  const rows: Row[] = [];
  for (const doc of candidates(plan, source, indexes)) {
    if (!matches(plan.residualFilter, doc)) continue;
    const key = sortKeyOf(doc, query.order);
    if (query.after && compareSortKeys(key, query.after, query.order) <= 0) continue;
    rows.push({ doc, key });
  }
  return rows.sort((a, b) => compareSortKeys(a.key, b.key, query.order));
}

/**
 * Matching rows in index order, from the cursor on, stopping once offset + limit + 1 rows
 * are found (one more than the page, to know whether there is a next page).
 */
function orderedRows(
  query: CompiledQuery,
  plan: QueryPlan,
  source: DocSource,
  indexes: CollectionIndexes,
): Row[] {
  const index = indexOf(plan, indexes);
  let [lo, hi] = index.range(plan.bounds!);
  const backward = plan.direction === 'backward';
  if (query.after) {
    // The run is sorted by the query's order (reversed when backward): find the cursor in it.
    const keyOf = entryKey(query, index);
    const after = query.after;
    const pastCursor = (e: IndexEntry) => compareSortKeys(keyOf(e), after, query.order) > 0;
    if (backward) hi = index.search((e) => !pastCursor(e), lo, hi);
    else lo = index.search(pastCursor, lo, hi);
  }
  const want = query.limit === undefined ? Infinity : query.offset + query.limit + 1;
  const rows: Row[] = [];
  for (let n = 0; n < hi - lo && rows.length < want; n++) {
    const entry = index.at(backward ? hi - 1 - n : lo + n);
    const doc = fetch(source, index, entry.id);
    if (matches(plan.residualFilter, doc)) rows.push({ doc, key: sortKeyOf(doc, query.order) });
  }
  return rows;
}

/**
 * An index entry's sort key in the query's order. Every order term is an index field, `id`,
 * or a field fixed by an equality conjunct (the same value in every matching row).
 */
function entryKey(query: CompiledQuery, index: SortedIndex): (e: IndexEntry) => SortValue[] {
  const fixed = new Map<string, Value>();
  for (const f of flattenAnd(query.filter)) {
    if (f.kind === 'compare' && f.op === 'eq' && !fixed.has(f.field)) fixed.set(f.field, f.value);
  }
  const sources = query.order.map((term) => {
    if (term.field === 'id') return 'id' as const;
    const i = index.fields.indexOf(term.field);
    if (i >= 0) return i;
    assert(fixed.has(term.field), `order term ${term.field} is not served by ${index.name}`);
    return { value: fixed.get(term.field) };
  });
  return (e) =>
    sources.map((s) => (s === 'id' ? e.id : typeof s === 'number' ? e.key[s] : s.value));
}

function* candidates(
  plan: QueryPlan,
  source: DocSource,
  indexes: CollectionIndexes,
): Iterable<Doc> {
  if (plan.kind === 'full-scan') {
    yield* source.values();
    return;
  }
  const index = indexOf(plan, indexes);
  const [lo, hi] = index.range(plan.bounds!);
  for (let i = lo; i < hi; i++) yield fetch(source, index, index.at(i).id);
}

function indexOf(plan: QueryPlan, indexes: CollectionIndexes): SortedIndex {
  const index = indexes.indexes.find((i) => i.name === plan.index);
  assert(index !== undefined && plan.bounds !== undefined, `no index ${plan.index}`);
  return index;
}

function fetch(source: DocSource, index: SortedIndex, id: string): Doc {
  const doc = source.get(id);
  assert(
    doc !== undefined,
    `index ${index.name} has doc "${id}" but the collection does not; keep indexes in step with upsert/remove`,
  );
  return doc;
}
