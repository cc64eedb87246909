// The query engine's surface, for the database layer (src/index.ts re-exports the public part).
export type {
  AndFilter,
  CompareFilter,
  CompareOp,
  CompiledQuery,
  ContainsFilter,
  ExistsFilter,
  FieldFilter,
  Filter,
  InFilter,
  NotFilter,
  OrderKey,
  OrFilter,
  SortValue,
  StartsWithFilter,
} from './ast.js';
export type { IndexInfo } from './collection-indexes.js';
export { CollectionIndexes } from './collection-indexes.js';
export { compileQuery } from './compile-query.js';
export type { Doc } from './doc.js';
export { getField } from './doc.js';
export type { DocSource, QueryResult } from './execute.js';
export { countQuery, executeQuery } from './execute.js';
export { explainPlan } from './explain.js';
export type { IndexBounds, RangeCondition, RangeOp } from './index-bounds.js';
export { matches } from './matches.js';
export type { PlanOptions, QueryPlan } from './plan.js';
export { planQuery } from './plan.js';
export { compareSortKeys, compareSortValues, sortKeyOf } from './sort-key.js';
export type { Condition, Operator, OrderTerm, QuerySpec, Where } from './spec.js';
export { OPERATORS } from './spec.js';
