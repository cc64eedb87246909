import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, Tag } from '../../src/encoding/envelope.js';
import { Writer } from '../../src/encoding/writer.js';
import { sha256Hex } from '../../src/log/hash.js';
import { RunTable } from '../../src/log/run-table.js';
import { readRunSummaries, summaryRows, writeRunSummaries } from '../../src/log/summary-codec.js';

const hashOf = (n: number) => sha256Hex(new Uint8Array([n & 255, n >> 8]));

describe('RunTable', () => {
  it('keeps every column of many rows as they were pushed, across growths and pages', () => {
    const table = new RunTable();
    const n = 1000;
    for (let pos = 0; pos < n; pos++) {
      const deps = pos === 0 ? [] : pos % 7 === 0 ? [pos - 1, Math.floor(pos / 2)] : [pos - 1];
      const wall = 1_700_000_000_000 + pos * 1000.5;
      const at = table.push(
        `actor-${pos % 3}`,
        pos + 1,
        (pos % 5) + 1,
        wall,
        pos % 11,
        hashOf(pos),
        deps,
      );
      expect(at).toBe(pos);
    }
    expect(table.length).toBe(n);
    for (let pos = 0; pos < n; pos++) {
      expect(table.actor(pos)).toBe(`actor-${pos % 3}`);
      expect(table.seq(pos)).toBe(pos + 1);
      expect(table.count(pos)).toBe((pos % 5) + 1);
      expect(table.end(pos)).toBe(pos + 1 + (pos % 5));
      expect(table.lastWall(pos)).toBe(1_700_000_000_000 + pos * 1000.5);
      expect(table.lastLogical(pos)).toBe(pos % 11);
      expect(table.hash(pos)).toBe(hashOf(pos));
      const deps = pos === 0 ? [] : pos % 7 === 0 ? [pos - 1, Math.floor(pos / 2)] : [pos - 1];
      expect(table.deps(pos)).toEqual(deps);
      expect(table.depHashes(pos)).toEqual(deps.map(hashOf));
      expect(table.isInMemory(pos)).toBe(true);
    }
    // A row in a later page (64 rows each) keeps its bytes and flags as one in the first.
    const block = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    table.keepBytesOnly(900, block.subarray(2, 6));
    expect(table.stored(900)).toEqual(new Uint8Array([3, 4, 5, 6]));
    expect(table.hash(900)).toBe(hashOf(900));
    expect(table.isInMemory(900)).toBe(true);
    expect(table.summary(14)).toEqual({
      hash: hashOf(14),
      actor: 'actor-2',
      seq: 15,
      count: 5,
      deps: [hashOf(13), hashOf(7)],
      lastWall: 1_700_000_000_000 + 14 * 1000.5,
      lastLogical: 3,
    });
  });

  it('holds one string per actor, whatever copy a row was pushed with', () => {
    const table = new RunTable();
    table.push(['a', 'b'].join(''), 1, 1, 1, 0, hashOf(1), []);
    const copy = ['a', 'b'].join('');
    expect(table.actorString(copy)).toBe(table.actor(0));
    expect(table.actorString('unknown')).toBe('unknown');
  });

  it('an open row has no hash until it is set, and grows in place', () => {
    const table = new RunTable();
    const pos = table.push('a', 1, 1, 10, 0, undefined, []);
    expect(table.hash(pos)).toBeUndefined();
    table.extend(pos, 3, 12, 4);
    expect([table.count(pos), table.end(pos), table.lastWall(pos), table.lastLogical(pos)]).toEqual(
      [3, 3, 12, 4],
    );
    table.setHash(pos, hashOf(9));
    expect(table.hash(pos)).toBe(hashOf(9));
  });

  it('keeps a row as its bytes only, then as nothing once released', () => {
    const table = new RunTable();
    const pos = table.push('a', 1, 1, 10, 0, hashOf(1), []);
    const run = { actor: 'a', seq: 1, deps: [], changes: [], hash: hashOf(1) };
    table.setRun(pos, run);
    expect(table.run(pos)).toBe(run);
    expect(table.stored(pos)).toBeUndefined();
    const block = new Uint8Array([9, 8, 7, 6, 5, 4]);
    table.keepBytesOnly(pos, block.subarray(2, 5));
    expect(table.run(pos)).toBeUndefined();
    expect([...table.stored(pos)!]).toEqual([7, 6, 5]);
    expect(table.isInMemory(pos)).toBe(true);
    table.release(pos);
    expect(table.stored(pos)).toBeUndefined();
    expect(table.isInMemory(pos)).toBe(false);
    // What the log goes on checking new runs against stays.
    expect([table.hash(pos), table.end(pos)]).toEqual([hashOf(1), 1]);
  });

  it('writes its rows as run summaries in place, the same bytes as from summary objects', () => {
    const table = new RunTable();
    for (let pos = 0; pos < 300; pos++) {
      // Deps in the order a run lists them: sorted by hash, not by position.
      const deps = pos === 0 ? [] : pos % 5 === 0 ? [pos - 1, pos - 4, pos - 5] : [pos - 1];
      deps.sort((a, b) => (hashOf(a) < hashOf(b) ? -1 : 1));
      table.push(
        `actor-${pos % 4}`,
        pos + 1,
        (pos % 3) + 1,
        1_700_000_000_000 + pos,
        pos % 9,
        hashOf(pos),
        deps,
      );
    }
    const summaries = Array.from({ length: table.length }, (_, pos) => table.summary(pos));
    // In an envelope, which holds the actor table the summaries refer to.
    const fromTable = encodeEnvelope(Tag.snapshot, (w) => writeRunSummaries(w, table));
    const fromObjects = encodeEnvelope(Tag.snapshot, (w) =>
      writeRunSummaries(w, summaryRows(summaries)),
    );
    expect(fromTable).toEqual(fromObjects);
    expect(decodeEnvelope(fromTable, Tag.snapshot, (r) => readRunSummaries(r))).toEqual(
      summaries.map((s) => ({ ...s, deps: [...s.deps].sort() })),
    );
  });

  it('refuses to write the summary of a row that has no hash yet (an open run)', () => {
    const table = new RunTable();
    table.push('a', 1, 1, 10, 0, undefined, []);
    expect(() => writeRunSummaries(new Writer(), table)).toThrow(/unsealed run/);
  });

  it('refuses summaries whose dep is not an earlier summary', () => {
    const summary = { actor: 'a', seq: 1, count: 1, lastWall: 1, lastLogical: 0 };
    const orphan = [{ ...summary, hash: hashOf(1), deps: [hashOf(2)] }];
    expect(() => summaryRows(orphan)).toThrow(/names a dep before it/);
  });
});
