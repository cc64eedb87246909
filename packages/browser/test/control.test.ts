import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isControl } from '../src/control.js';

// Control messages come from any script of the origin: the check is total and strict.
describe('isControl', () => {
  test('accepts the well-formed messages', () => {
    expect(isControl({ kind: 'hub' })).toBe(true);
    expect(isControl({ kind: 'connect', conn: 'c', tab: 't', lock: 'l', space: 's' })).toBe(true);
    expect(isControl({ kind: 'status', space: 's', status: 'online' })).toBe(true);
  });

  test('refuses malformed ones', () => {
    for (const bad of [
      null,
      'hub',
      { kind: 'connect', conn: 'c', tab: 't', lock: 'l' },
      { kind: 'connect', conn: '', tab: 't', lock: 'l', space: 's' },
      { kind: 'status', space: 's', status: 'closed' },
      { kind: 'status', space: 3, status: 'online' },
      { kind: 'other' },
    ])
      expect(isControl(bad), JSON.stringify(bad)).toBe(false);
  });

  test('never throws on anything (seeded; fast-check prints the seed and path to replay)', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (x) => {
        expect(typeof isControl(x)).toBe('boolean');
      }),
      { seed: 6, numRuns: 2_000 },
    );
  });
});
