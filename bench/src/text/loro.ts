import { LoroDoc } from 'loro-crdt';
import type { TextLibrary } from './library.js';
import { replayConcurrent, type Txn } from './traces.js';

function edit(doc: LoroDoc, patches: Txn['patches']): void {
  const text = doc.getText('text');
  for (const [pos, del, ins] of patches) {
    if (del > 0) text.delete(pos, del);
    if (ins.length > 0) text.insert(pos, ins);
  }
  doc.commit();
}

function type(peer: number, txns: readonly Txn[]): LoroDoc {
  const doc = new LoroDoc();
  doc.setPeerId(peer);
  for (const txn of txns) edit(doc, txn.patches);
  return doc;
}

export const loro: TextLibrary<LoroDoc> = {
  name: 'loro-crdt',
  version: '1.17',
  replay: (txns) => type(1, txns),
  text: (doc) => doc.getText('text').toString(),
  encode: (doc) => doc.export({ mode: 'snapshot' }),
  load: (bytes) => LoroDoc.fromSnapshot(bytes),
  mergeFixture(txns) {
    const a = type(1, txns).export({ mode: 'snapshot' });
    const b = type(2, txns).export({ mode: 'snapshot' });
    return {
      fresh: () => [LoroDoc.fromSnapshot(a), LoroDoc.fromSnapshot(b)],
      exchange(x, y) {
        const toX = y.export({ mode: 'update', from: x.oplogVersion() });
        const toY = x.export({ mode: 'update', from: y.oplogVersion() });
        x.import(toX);
        y.import(toY);
        return [x.getText('text').toString(), y.getText('text').toString()];
      },
    };
  },
  concurrent: (trace) =>
    replayConcurrent(trace, {
      replica(agent) {
        const doc = new LoroDoc();
        doc.setPeerId(agent + 1);
        return doc;
      },
      transact(doc, patches) {
        const from = doc.oplogVersion();
        edit(doc, patches);
        return doc.export({ mode: 'update', from });
      },
      apply: (doc, update) => {
        doc.import(update);
      },
      text: (doc) => doc.getText('text').toString(),
      free: (doc) => doc.free(),
    }),
  free: (doc) => doc.free(),
};
