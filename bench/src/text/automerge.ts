import * as A from '@automerge/automerge';
import type { TextLibrary } from './library.js';
import { replayConcurrent, type Txn } from './traces.js';

type Doc = A.Doc<{ text: string }>;

// Every replica starts from one shared change that creates the text field (two replicas that
// each created it would hold two conflicting fields).
let baseBytes: Uint8Array | undefined;
function base(actor: string): Doc {
  baseBytes ??= A.save(A.from({ text: '' }, { actor: 'ba5e' }));
  return A.load<{ text: string }>(baseBytes, { actor });
}

function type(actor: string, txns: readonly Txn[]): Doc {
  let doc = base(actor);
  for (const txn of txns) {
    doc = A.change(doc, (d) => {
      for (const [pos, del, ins] of txn.patches) A.splice(d, ['text'], pos, del, ins);
    });
  }
  return doc;
}

export const automerge: TextLibrary<Doc> = {
  name: '@automerge/automerge',
  version: '3.5',
  replay: (txns) => type('aa', txns),
  text: (doc) => doc.text,
  encode: (doc) => A.save(doc),
  load: (bytes) => A.load<{ text: string }>(bytes),
  mergeFixture(txns) {
    const a = A.save(type('aa', txns));
    const b = A.save(type('bb', txns));
    const heads = A.getHeads(base('cc'));
    return {
      fresh: () => [A.load(a, { actor: 'aa' }), A.load(b, { actor: 'bb' })],
      exchange(x, y) {
        const toX = A.saveSince(y, heads);
        const toY = A.saveSince(x, heads);
        const x2 = A.loadIncremental(x, toX);
        const y2 = A.loadIncremental(y, toY);
        return [x2.text, y2.text];
      },
    };
  },
  concurrent: (trace) =>
    replayConcurrent(trace, {
      replica: (agent) => ({ doc: base(`a${agent}`) }),
      transact(r, patches) {
        r.doc = A.change(r.doc, (d) => {
          for (const [pos, del, ins] of patches) A.splice(d, ['text'], pos, del, ins);
        });
        return A.getLastLocalChange(r.doc)!;
      },
      apply(r, change) {
        [r.doc] = A.applyChanges(r.doc, [change]);
      },
      text: (r) => r.doc.text,
    }),
};
