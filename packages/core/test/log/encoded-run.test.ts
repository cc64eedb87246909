import fc from 'fast-check';
import { expect, test } from 'vitest';
import { Reader } from '../../src/encoding/reader.js';
import { Writer } from '../../src/encoding/writer.js';
import {
  ChangeLog,
  ChangeRejectedError,
  DecodeError,
  decodeRuns,
  encodeRuns,
  HybridClock,
  type Run,
} from '../../src/index.js';
import { EncodedRun } from '../../src/log/encoded-run.js';
import { readRun, storedRun, writeRun } from '../../src/log/run.js';
import { checkProperty } from '../helpers/property.js';

/** Runs of two actors, as a log holds them. */
function history(): Run[] {
  let time = 1_000;
  const logs = ['alice', '\uFEFFbob'].map((actor) => ({
    log: new ChangeLog(actor),
    clock: new HybridClock(actor, { now: () => (time += 3) }),
  }));
  for (let i = 0; i < 12; i++) {
    const { log, clock } = logs[i % 3 === 0 ? 1 : 0]!;
    const other = logs[i % 3 === 0 ? 0 : 1]!.log;
    log.append(clock.now(), new Uint8Array([i, i + 1, i + 2]));
    if (i % 4 === 3) for (const run of other.changesSince(log.versionVector())) log.add(run);
  }
  return [...logs[0]!.log.runs(), ...logs[1]!.log.runs()];
}

function encodeOne(run: Run): Uint8Array {
  const w = new Writer();
  writeRun(w, run);
  return w.finish();
}

test('a decoded run keeps the bytes it came from, and they are its encoding', () => {
  for (const run of history()) {
    const bytes = encodeRuns([run]);
    const [decoded] = decodeRuns(bytes);
    expect(decoded).toBeInstanceOf(EncodedRun);
    expect(decoded).toEqual(run);
    expect(EncodedRun.bytesOf(decoded!)).toEqual(encodeOne(run));
    expect(encodeRuns([decoded!])).toEqual(bytes);
    // What a store keeps: the same bytes, the decoded run's own (not a copy).
    expect(storedRun(decoded!)).toEqual(bytes);
    expect(storedRun(decoded!)).toBe(storedRun(decoded!));
    expect(storedRun(run)).toEqual(bytes);
    expect(encodeRuns([decoded!, run])).toEqual(encodeRuns([run, run]));
  }
});

test('decoded runs share no bytes with the input', () => {
  const run = history()[0]!;
  const bytes = encodeRuns([run]);
  const [decoded] = decodeRuns(bytes);
  bytes.fill(0);
  expect(decoded).toEqual(run);
  expect(encodeRuns([decoded!])).toEqual(encodeRuns([run]));
});

test('a decoded run whose content does not match its hash is refused, as a plain one is', () => {
  const runs = history();
  const run = runs.find((r) => r.deps.length === 0)!;
  const bytes = encodeRuns([run]);
  // The last payload byte lies just before the hash: change it, and the run still decodes.
  bytes[bytes.length - 33]! ^= 1;
  const [tampered] = decodeRuns(bytes);
  expect(EncodedRun.bytesOf(tampered!)).toBeDefined();
  expect(() => new ChangeLog().add(tampered!)).toThrowError(ChangeRejectedError);
  try {
    new ChangeLog().add(tampered!);
  } catch (error) {
    expect((error as ChangeRejectedError).code).toBe('bad-hash');
  }
  // A copy of a decoded run's fields is a plain run: checked on its fields, not its bytes.
  const [decoded] = decodeRuns(encodeRuns([run]));
  const forged = { ...decoded!, changes: [{ ...decoded!.changes[0]!, wall: 1 }] };
  expect(EncodedRun.bytesOf(forged)).toBeUndefined();
  expect(() => new ChangeLog().add(forged)).toThrowError(/does not match its hash/);
  expect(new ChangeLog().add(decoded!).applied).toHaveLength(1);
});

test('a string starting with U+FEFF keeps it: what decodes encodes back to the same bytes', () => {
  const run = history().find((r) => r.actor.startsWith('\uFEFF'))!;
  const [decoded] = decodeRuns(encodeRuns([run]));
  expect(decoded!.actor).toBe('\uFEFFbob');
  expect(new ChangeLog().add(decoded!).applied).toHaveLength(1);
});

const RUNS = history();
let decodedCount = 0;

checkProperty(
  'any run that decodes (valid encodings with bytes overwritten) re-encodes to those bytes',
  fc.nat(),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
  (which, edits) => {
    const bytes = encodeOne(RUNS[which % RUNS.length]!);
    for (const [at, value] of edits) bytes[at % bytes.length] = value;
    const r = new Reader(bytes);
    let run: Run;
    try {
      run = readRun(r);
      r.end();
    } catch (error) {
      if (error instanceof DecodeError) return;
      throw error;
    }
    decodedCount += 1;
    // Encoded again from its fields (a copy is a plain run), not copied from its bytes.
    expect(encodeOne({ ...run })).toEqual(bytes);
  },
);

test('the property above reaches runs that decode', () => {
  expect(decodedCount).toBeGreaterThan(10);
});
