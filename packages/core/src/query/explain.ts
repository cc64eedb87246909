// A plan in one readable line, for logs, devtools and tests.
import type { Value } from '../encoding/value.js';
import type { Filter } from './ast.js';
import type { IndexBounds, RangeCondition } from './index-bounds.js';
import type { QueryPlan } from './plan.js';

/**
 * Describes a plan, e.g. `index scan on status+priority (status = "open", priority > 3),
 * residual filter on title, sorted by index, limit 10`.
 */
export function explainPlan(plan: QueryPlan): string {
  const parts: string[] = [];
  if (plan.kind === 'index-scan') {
    const bounds = plan.bounds ? describeBounds(plan.bounds) : [];
    const reverse = plan.direction === 'backward' ? ' backward' : '';
    parts.push(
      `index scan on ${plan.index}${reverse}${bounds.length ? ` (${bounds.join(', ')})` : ''}`,
    );
    if (plan.residualFilter) parts.push(`residual filter on ${fieldsOf(plan.residualFilter)}`);
  } else {
    parts.push(`full scan of ${plan.candidates} ${plan.candidates === 1 ? 'doc' : 'docs'}`);
    if (plan.residualFilter) parts.push(`filter on ${fieldsOf(plan.residualFilter)}`);
  }
  if (plan.after) parts.push('after cursor');
  if (plan.sortedBy === 'index') parts.push('sorted by index');
  if (plan.sortedBy === 'memory') {
    const terms = plan.order.map((t) => (t.desc ? `${t.field} desc` : t.field));
    parts.push(`sorted in memory by ${terms.join(', ')}`);
  }
  if (plan.offset !== undefined) parts.push(`offset ${plan.offset}`);
  if (plan.limit !== undefined) parts.push(`limit ${plan.limit}`);
  return parts.join(', ');
}

function describeBounds(bounds: IndexBounds): string[] {
  const out = bounds.equal.map(({ field, value }) => `${field} = ${formatValue(value)}`);
  for (const condition of bounds.range?.conditions ?? []) {
    out.push(`${bounds.range!.field} ${describeCondition(condition)}`);
  }
  return out;
}

const SYMBOLS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function describeCondition(c: RangeCondition): string {
  if (c.op === 'startsWith') return `starts with ${formatValue(c.value)}`;
  return `${SYMBOLS[c.op]} ${formatValue(c.value)}`;
}

/** The distinct fields a filter reads, in first-use order. */
function fieldsOf(filter: Filter): string {
  const fields = new Set<string>();
  const visit = (f: Filter): void => {
    if (f.kind === 'and' || f.kind === 'or') f.filters.forEach(visit);
    else if (f.kind === 'not') visit(f.filter);
    else fields.add(f.field);
  };
  visit(filter);
  return [...fields].join(', ');
}

/** A value as JSON, with bytes as hex and the numbers JSON cannot spell. */
export function formatValue(v: Value): string {
  if (typeof v === 'number') {
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (v instanceof Uint8Array) {
    return `bytes(${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('')})`;
  }
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.keys(v).map((k) => `${JSON.stringify(k)}: ${formatValue(v[k]!)}`);
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(v);
}
