import { TextCrdt, type TextOp } from '@weft/core';
import type { TextLibrary } from './library.js';
import { replayConcurrent, type Txn } from './traces.js';

// The bare text type (TextCrdt). The full database path, a text field of a document in a
// space, is the `weft-db` row (weft-db.ts).

/** Types `txns`; every edit returns its op (kept only when `keep`, to send them later). */
function type(
  actor: string,
  txns: readonly Txn[],
  keep: boolean,
): { doc: TextCrdt; ops: TextOp[] } {
  const doc = new TextCrdt(actor);
  const ops: TextOp[] = [];
  for (const txn of txns) {
    for (const [pos, del, ins] of txn.patches) {
      if (del > 0) {
        const op = doc.delete(pos, del)!;
        if (keep) ops.push(op);
      }
      if (ins.length > 0) {
        const op = doc.insert(pos, ins)!;
        if (keep) ops.push(op);
      }
    }
  }
  return { doc, ops };
}

export const weft: TextLibrary<{ doc: TextCrdt; ops: TextOp[] }> = {
  name: 'weft (bare TextCrdt)',
  version: '0.1.0',
  replay: (txns) => type('weft-a', txns, false),
  text: (d) => d.doc.toString(),
  encode: (d) => d.doc.encode(),
  load: (bytes) => ({ doc: TextCrdt.decode(bytes, 'weft-loader'), ops: [] }),
  mergeFixture(txns) {
    const a = type('peer-a', txns, false);
    const b = type('peer-b', txns, false);
    const bytesA = a.doc.encode();
    const bytesB = b.doc.encode();
    return {
      fresh: () => [
        { doc: TextCrdt.decode(bytesA, 'peer-a'), ops: a.ops },
        { doc: TextCrdt.decode(bytesB, 'peer-b'), ops: b.ops },
      ],
      exchange(x, y) {
        // Each side sends what the other's version lacks (its runs, compact), as Yjs does.
        const toX = y.doc.encodeSince(x.doc.version());
        const toY = x.doc.encodeSince(y.doc.version());
        x.doc.applyDelta(toX);
        y.doc.applyDelta(toY);
        return [x.doc.toString(), y.doc.toString()];
      },
    };
  },
  concurrent: (trace) =>
    replayConcurrent(trace, {
      replica: (agent) => new TextCrdt(`agent-${agent}`),
      transact(doc, patches) {
        const ops: TextOp[] = [];
        for (const [pos, del, ins] of patches) ops.push(...doc.splice(pos, del, ins));
        return ops;
      },
      apply(doc, ops) {
        for (const op of ops) doc.apply(op);
      },
      text: (doc) => doc.toString(),
    }),
};
