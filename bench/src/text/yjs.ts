import * as Y from 'yjs';
import type { TextLibrary } from './library.js';
import { replayConcurrent, type Txn } from './traces.js';

function type(clientID: number, txns: readonly Txn[]): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const text = doc.getText('text');
  for (const txn of txns) {
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del);
        if (ins.length > 0) text.insert(pos, ins);
      }
    });
  }
  return doc;
}

function loaded(bytes: Uint8Array): Y.Doc {
  // A fresh client id: a loaded replica that reused its own would make Yjs pick another (and
  // say so on the console).
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, bytes);
  return doc;
}

export const yjs: TextLibrary<Y.Doc> = {
  name: 'yjs',
  version: '13.6',
  replay: (txns) => type(1, txns),
  text: (doc) => doc.getText('text').toString(),
  // The v2 update format (smaller than v1), of the whole document.
  encode: (doc) => Y.encodeStateAsUpdateV2(doc),
  load: (bytes) => loaded(bytes),
  mergeFixture(txns) {
    const a = Y.encodeStateAsUpdateV2(type(1, txns));
    const b = Y.encodeStateAsUpdateV2(type(2, txns));
    return {
      fresh: () => [loaded(a), loaded(b)],
      exchange(x, y) {
        const toX = Y.encodeStateAsUpdateV2(y, Y.encodeStateVector(x));
        const toY = Y.encodeStateAsUpdateV2(x, Y.encodeStateVector(y));
        Y.applyUpdateV2(x, toX);
        Y.applyUpdateV2(y, toY);
        return [x.getText('text').toString(), y.getText('text').toString()];
      },
    };
  },
  concurrent: (trace) =>
    replayConcurrent(trace, {
      replica(agent) {
        const doc = new Y.Doc();
        doc.clientID = agent + 1;
        return doc;
      },
      transact(doc, patches) {
        let update: Uint8Array | undefined;
        const keep = (u: Uint8Array) => {
          update = u;
        };
        doc.on('updateV2', keep);
        const text = doc.getText('text');
        doc.transact(() => {
          for (const [pos, del, ins] of patches) {
            if (del > 0) text.delete(pos, del);
            if (ins.length > 0) text.insert(pos, ins);
          }
        });
        doc.off('updateV2', keep);
        return update!;
      },
      apply: (doc, update) => Y.applyUpdateV2(doc, update),
      text: (doc) => doc.getText('text').toString(),
    }),
};
