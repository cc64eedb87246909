import { parseTarget } from '../args.js';
import { arg, type Command } from '../command.js';
import { existingSpace, withDatabase } from '../db.js';
import { idFirst } from '../document.js';
import { notFound } from '../errors.js';
import { toJson } from '../output.js';

export const get: Command = {
  name: 'get',
  args: ['<space>/<collection>/<id>'],
  summary: 'print a document',
  description: 'Prints one document as JSON. Exits with 1 if it does not exist.',
  examples: ['weft get notes/todos/t1', 'weft get notes/todos/t1 --json | jq .title'],
  async run(ctx) {
    const raw = arg(ctx, 0);
    const { space, collection, id } = parseTarget(raw, 'document');
    const doc = await withDatabase(ctx.dataDir, { create: false }, async (db) =>
      (await existingSpace(db, space))?.collection(collection!).get(id!),
    );
    if (doc === undefined) throw notFound(`${raw} does not exist`);
    const shown = idFirst(doc);
    ctx.out.result(shown, () => toJson(shown, 2));
  },
};
