import { describe, expect, test } from 'vitest';
import {
  type ConcurrentTrace,
  decodeTextOps,
  encodeTextOps,
  replayConcurrentTrace,
  type SequentialTrace,
  TextCrdt,
  type TextOp,
} from '../../src/index.js';
import { loadTrace } from './helpers/traces.js';

// The real editing traces of issue 5 (see traces/SOURCES.md), replayed one transaction per
// patch.

const paper = loadTrace<SequentialTrace>('automerge-paper');
const friends = loadTrace<ConcurrentTrace>('friendsforever');

function typeTrace(actor: string, txns: SequentialTrace['txns']): { doc: TextCrdt; ops: TextOp[] } {
  const doc = new TextCrdt(actor);
  const ops: TextOp[] = [];
  for (const txn of txns) {
    for (const [pos, del, text] of txn.patches) ops.push(...doc.splice(pos, del, text));
  }
  return { doc, ops };
}

describe('automerge-paper', () => {
  const { doc, ops } = typeTrace('paper', paper.txns);

  test('replaying every patch produces exactly endContent', () => {
    expect(doc.length).toBe(paper.endContent.length);
    expect(doc.toString()).toBe(paper.endContent);
  });

  test('another replica applying the ops (once, then again) has the same text', () => {
    const other = new TextCrdt('reader');
    for (const op of ops) other.apply(op);
    expect(other.toString()).toBe(paper.endContent);
    for (const op of ops.slice(0, 1000)) expect(other.apply(op)).toBe(false);
    expect(other.toString()).toBe(paper.endContent);
  });

  test('the encoded state decodes to the same text, and re-encodes to the same bytes', () => {
    const bytes = doc.encode();
    const loaded = TextCrdt.decode(bytes, 'loader');
    expect(loaded.toString()).toBe(paper.endContent);
    expect(loaded.encode()).toEqual(bytes);
    // Smaller than Yjs's v2 encoding of the same history (159,921 B) and diamond-types'
    // (108,992 B).
    expect(bytes.length).toBeLessThan(108_992);
  });

  test('two peers each type the first half concurrently, exchange deltas or ops and converge', () => {
    const half = paper.txns.slice(0, paper.txns.length >> 1);
    const a = typeTrace('peer-a', half);
    const b = typeTrace('peer-b', half);
    const typed = a.doc.toString();
    // By deltas (what each one's version lacks), on copies loaded from their states.
    const a2 = TextCrdt.decode(a.doc.encode(), 'peer-a');
    const b2 = TextCrdt.decode(b.doc.encode(), 'peer-b');
    const toA = b2.encodeSince(a2.version());
    const toB = a2.encodeSince(b2.version());
    a2.applyDelta(toA);
    b2.applyDelta(toB);
    expect(a2.toString()).toBe(typed + typed);
    expect(b2.toString()).toBe(typed + typed);
    // As ops over the wire, in one batch each way.
    for (const op of decodeTextOps(encodeTextOps(b.ops))) a.doc.apply(op);
    for (const op of decodeTextOps(encodeTextOps(a.ops))) b.doc.apply(op);
    const merged = a.doc.toString();
    expect(b.doc.toString()).toBe(merged);
    // Not interleaved: one peer's text, then the other's.
    expect(merged).toBe(typed + typed);
    const loaded = TextCrdt.decode(a.doc.encode(), 'loader');
    expect(loaded.toString()).toBe(merged);
  });
});

describe('friendsforever (concurrent)', () => {
  test('replaying with one replica per agent produces exactly endContent, everywhere', () => {
    const {
      replicas,
      updates: ops,
      last,
    } = replayConcurrentTrace(friends, {
      replica: (agent) => new TextCrdt(`agent-${agent}`),
      transact: (doc, patches) => patches.flatMap(([pos, del, text]) => doc.splice(pos, del, text)),
      apply(doc, txnOps: TextOp[]) {
        for (const op of txnOps) doc.apply(op);
      },
    });
    expect(last.toString()).toBe(friends.endContent);
    // Every replica converges once it has every op, delivered in trace order.
    for (const replica of replicas) {
      for (const txnOps of ops) for (const op of txnOps) replica.apply(op);
      expect(replica.toString()).toBe(friends.endContent);
    }
    const bytes = replicas[0]!.encode();
    expect(TextCrdt.decode(bytes, 'loader').toString()).toBe(friends.endContent);
  });
});
