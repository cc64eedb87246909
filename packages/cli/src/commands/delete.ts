import { parseTarget } from '../args.js';
import { arg, type Command } from '../command.js';
import { existingSpace, withDatabase } from '../db.js';
import { notFound } from '../errors.js';

export const del: Command = {
  name: 'delete',
  args: ['<space>/<collection>/<id>'],
  summary: 'delete a document',
  description: 'Deletes one document. Exits with 1 if it does not exist.',
  examples: ['weft delete notes/todos/t1'],
  async run(ctx) {
    const raw = arg(ctx, 0);
    const { space, collection, id } = parseTarget(raw, 'document');
    const deleted = await withDatabase(ctx.dataDir, { create: false }, async (db) => {
      const s = await existingSpace(db, space);
      return s ? s.collection(collection!).delete(id!) : false;
    });
    if (!deleted) throw notFound(`${raw} does not exist`);
    ctx.out.result({ deleted: true, space, collection, id }, () => `deleted ${raw}`);
  },
};
