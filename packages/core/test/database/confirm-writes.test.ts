import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/index.js';

describe('DatabaseOptions.confirmWrites', () => {
  test('a write resolves only once its seq is confirmed; storage and sync do not wait', async () => {
    const asked: [string, number][] = [];
    const release: (() => void)[] = [];
    const db = await openDatabase({
      actor: 'tab',
      confirmWrites: (space, seq) => {
        asked.push([space, seq]);
        return new Promise((resolve) => release.push(resolve));
      },
    });
    const space = await db.space('s');
    const notes = space.collection('notes');
    let first = false;
    let second = false;
    void notes.insert({ id: 'a' }).then(() => {
      first = true;
    });
    await space.flush(); // the replica's own storage has it: flush does not wait
    void space
      .transact(() => {
        void notes.insert({ id: 'b' });
      })
      .then(() => {
        second = true;
      });
    await space.flush();
    expect(space.durableOwnSeq()).toBe(2); // sync sessions may send both already
    expect(asked).toEqual([
      ['s', 1],
      ['s', 2],
    ]);
    expect([first, second]).toEqual([false, false]);
    release[0]!();
    await new Promise((r) => setTimeout(r, 0));
    expect([first, second]).toEqual([true, false]);
    release[1]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(second).toBe(true);
    await db.close();
  });
});
