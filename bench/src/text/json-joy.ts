import { Model, Patch } from 'json-joy/lib/json-crdt/index.js';
import type { TextLibrary } from './library.js';
import { replayConcurrent, type Txn } from './traces.js';

// json-joy's JSON CRDT with one `str` (RGA) node. Each transaction is flushed into a patch,
// as an app does to send it.

type Doc = { model: Model; patches: Patch[] };

let baseBytes: Uint8Array | undefined;
function base(sid: number): Model {
  if (baseBytes === undefined) {
    const model = Model.create(undefined, 100_000);
    model.api.root({ text: '' });
    model.api.flush();
    baseBytes = model.toBinary();
  }
  return Model.fromBinary(baseBytes).fork(sid);
}

function edit(model: Model, patches: Txn['patches']): Patch {
  const str = model.api.str(['text']);
  for (const [pos, del, ins] of patches) {
    if (del > 0) str.del(pos, del);
    if (ins.length > 0) str.ins(pos, ins);
  }
  return model.api.flush();
}

/** Types `txns`; every transaction is flushed into a patch (kept only when `keep`). */
function type(sid: number, txns: readonly Txn[], keep: boolean): Doc {
  const model = base(sid);
  const patches: Patch[] = [];
  for (const txn of txns) {
    const patch = edit(model, txn.patches);
    if (keep) patches.push(patch);
  }
  return { model, patches };
}

const textOf = (model: Model) => String(model.api.str(['text']).view());

export const jsonJoy: TextLibrary<Doc> = {
  name: 'json-joy',
  version: '17.67.0',
  replay: (txns) => type(100_001, txns, false),
  text: (d) => textOf(d.model),
  encode: (d) => d.model.toBinary(),
  load: (bytes) => ({ model: Model.fromBinary(bytes), patches: [] }),
  mergeFixture(txns) {
    const a = type(100_001, txns, true);
    const b = type(100_002, txns, true);
    const bytesA = a.model.toBinary();
    const bytesB = b.model.toBinary();
    return {
      fresh: () => [
        { model: Model.fromBinary(bytesA), patches: a.patches },
        { model: Model.fromBinary(bytesB), patches: b.patches },
      ],
      exchange(x, y) {
        // What each lacks is the other's patches, sent as bytes.
        const toX = y.patches.map((p) => p.toBinary());
        const toY = x.patches.map((p) => p.toBinary());
        for (const p of toX) x.model.applyPatch(Patch.fromBinary(p));
        for (const p of toY) y.model.applyPatch(Patch.fromBinary(p));
        return [textOf(x.model), textOf(y.model)];
      },
    };
  },
  concurrent: (trace) =>
    replayConcurrent(trace, {
      replica: (agent) => base(100_001 + agent),
      transact: (model, patches) => edit(model, patches),
      apply: (model, patch) => model.applyPatch(patch),
      text: textOf,
    }),
};
