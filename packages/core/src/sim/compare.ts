import { type Value, valueEquals } from '../encoding/value.js';
import { show } from './ops.js';

type DocValue = { readonly [field: string]: Value } | undefined;

/** Whether two documents (or their absence) are equal: same fields, same values. */
export function docsEqual(a: DocValue, b: DocValue): boolean {
  if (a === undefined || b === undefined) return a === b;
  return valueEquals(a as Value, b as Value);
}

/** Where two documents differ, field by field, for a failure report. */
export function describeDifference(label: string, actual: DocValue, expected: DocValue): string {
  if (actual === undefined) return `${label}: missing, expected ${show(expected)}`;
  if (expected === undefined) return `${label}: ${show(actual)}, expected no document`;
  const lines: string[] = [];
  const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
  for (const k of keys) {
    const x = Object.hasOwn(actual, k) ? actual[k] : undefined;
    const y = Object.hasOwn(expected, k) ? expected[k] : undefined;
    if (x === undefined || y === undefined ? x !== y : !valueEquals(x, y))
      lines.push(`    .${k}: ${show(x)}, expected ${show(y)}`);
  }
  return `${label} differs:\n${lines.join('\n')}\n    whole: ${show(actual)}\n    expected: ${show(expected)}`;
}
