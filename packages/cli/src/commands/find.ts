import { buildQuery, parseTarget } from '../args.js';
import { arg, type Command, flag } from '../command.js';
import { requireSpace, withDatabase } from '../db.js';
import { idFirst } from '../document.js';
import { toJson } from '../output.js';

export const find: Command = {
  name: 'find',
  args: ['<space>/<collection>'],
  summary: 'print the documents that match a query',
  description:
    'Prints matching documents: one JSON object per line, or with --json one array.\n' +
    'Without options, every document in id order. --where takes the query language of\n' +
    'collection.find(): {"done":false}, {"due":{"lt":"2025-01-01"}}, {"$or":[…]}; operators are\n' +
    'eq ne lt lte gt gte in contains startsWith exists.',
  options: [
    {
      name: 'where',
      type: 'string',
      placeholder: 'JSON',
      description: 'a filter, e.g. {"done":false}',
    },
    {
      name: 'order',
      type: 'string',
      placeholder: 'FIELDS',
      description: 'sort by fields, comma-separated; -field sorts descending (e.g. -due,title)',
    },
    { name: 'limit', type: 'string', placeholder: 'N', description: 'at most N documents' },
    { name: 'offset', type: 'string', placeholder: 'N', description: 'skip the first N documents' },
  ],
  examples: [
    `weft find notes/todos --where '{"done":false}' --order -due --limit 10`,
    `weft find notes/todos --where '{"priority":{"gte":2}}' --json`,
  ],
  async run(ctx) {
    const { space, collection } = parseTarget(arg(ctx, 0), 'collection');
    const query = buildQuery({
      where: flag(ctx, 'where'),
      order: flag(ctx, 'order'),
      limit: flag(ctx, 'limit'),
      offset: flag(ctx, 'offset'),
    });
    const docs = await withDatabase(ctx.dataDir, { create: false }, async (db) =>
      (await requireSpace(db, space)).collection(collection!).find(query).map(idFirst),
    );
    ctx.out.result(docs, () => docs.map((d) => toJson(d)));
  },
};
