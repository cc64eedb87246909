import { Doc } from 'diamond-types-node';
import type { TextLibrary } from './library.js';
import { replayConcurrent, type Txn } from './traces.js';

function edit(doc: Doc, patches: Txn['patches']): void {
  for (const [pos, del, ins] of patches) {
    if (del > 0) doc.del(pos, del);
    if (ins.length > 0) doc.ins(pos, ins);
  }
}

function type(agent: string, txns: readonly Txn[]): Doc {
  const doc = new Doc(agent);
  for (const txn of txns) edit(doc, txn.patches);
  return doc;
}

const ROOT = new Uint32Array(0);

export const diamondTypes: TextLibrary<Doc> = {
  name: 'diamond-types-node',
  version: '1.0.2',
  replay: (txns) => type('a', txns),
  text: (doc) => doc.get(),
  encode: (doc) => doc.toBytes(),
  load: (bytes) => Doc.fromBytes(bytes, 'loader'),
  mergeFixture(txns) {
    const a = type('a', txns).toBytes();
    const b = type('b', txns).toBytes();
    return {
      fresh: () => [Doc.fromBytes(a, 'a'), Doc.fromBytes(b, 'b')],
      exchange(x, y) {
        // Both typed from the empty document: each sends everything since the root.
        const toX = y.getPatchSince(ROOT);
        const toY = x.getPatchSince(ROOT);
        x.mergeBytes(toX);
        y.mergeBytes(toY);
        return [x.get(), y.get()];
      },
    };
  },
  concurrent: (trace) =>
    replayConcurrent(trace, {
      replica: (agent) => new Doc(`agent${agent}`),
      transact(doc, patches) {
        const from = doc.getLocalVersion();
        edit(doc, patches);
        return doc.getPatchSince(from);
      },
      apply: (doc, patch) => {
        doc.mergeBytes(patch);
      },
      text: (doc) => doc.get(),
      free: (doc) => doc.free(),
    }),
  free: (doc) => doc.free(),
};
