import { readFileSync } from 'node:fs';
import { parseJsonObjectArg, parseTarget } from '../args.js';
import { arg, type Command } from '../command.js';
import { withDatabase } from '../db.js';
import { documentProblem, idFirst } from '../document.js';
import { CliError } from '../errors.js';
import { toJson } from '../output.js';

export const put: Command = {
  name: 'put',
  args: ['<space>/<collection>', '<json>'],
  summary: 'insert or replace a document',
  description:
    'Stores a document given as a JSON object. With an "id" the document is created or\n' +
    'replaced whole; without one it is inserted with a new id. <json> may be - to read it from\n' +
    'stdin. Prints the stored document. The space is created on first use.',
  examples: [
    `weft put notes/todos '{"title":"milk","done":false}'`,
    `weft put notes/todos '{"id":"t1","title":"eggs","done":true}'`,
    `echo '{"title":"bread"}' | weft put notes/todos -`,
  ],
  async run(ctx) {
    const target = parseTarget(arg(ctx, 0), 'collection');
    const source = arg(ctx, 1);
    const text = source === '-' ? readFileSync(0, 'utf8') : source;
    const what = source === '-' ? 'stdin' : '<json>';
    const doc = parseJsonObjectArg(text, what);
    const problem = documentProblem(doc);
    if (problem) throw new CliError('invalid-value', `${what}: ${problem}`);
    const stored = await withDatabase(ctx.dataDir, { create: true }, async (db) => {
      const space = await db.space(target.space);
      const collection = space.collection(target.collection!);
      return doc.id === undefined
        ? collection.insert(doc)
        : collection.put(doc as Record<string, unknown> & { id: string });
    });
    const shown = idFirst(stored);
    ctx.out.result(shown, () => toJson(shown, 2));
  },
};
