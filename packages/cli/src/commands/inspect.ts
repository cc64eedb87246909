import { type ConflictValue, documentConflicts, type HistoryEntry } from '@weft/core';
import { parseTarget } from '../args.js';
import { type Command, type CommandContext, flag } from '../command.js';
import { existingSpace, withDatabase } from '../db.js';
import { idFirst } from '../document.js';
import { notFound, UsageError } from '../errors.js';
import { formatHlc, table } from '../format.js';
import { toJson } from '../output.js';
import { openInspector } from './inspect-ui.js';

export const inspect: Command = {
  name: 'inspect',
  args: ['[<space>/<collection>/<id>]'],
  summary: "show a document's fields, conflicts and history (--ui: the web inspector)",
  description:
    'Shows a document as it reads now; every field that holds concurrent values (written on\n' +
    'two replicas before they synced), with the value each replica wrote and which one wins;\n' +
    'and the changes that made the document: actor, sequence number, hybrid logical clock\n' +
    'stamp and operations. A deleted document shows its history.\n' +
    'With --ui, serves the inspector for the data directory on 127.0.0.1 and prints its URL:\n' +
    'spaces, collections, documents and conflicts, the change DAG, storage. Read-only; it\n' +
    'shows writes other processes make while it runs. Stops on SIGTERM or Ctrl-C.',
  options: [
    { name: 'ui', type: 'boolean', description: 'serve the web inspector instead of printing' },
    {
      name: 'port',
      type: 'string',
      placeholder: 'N',
      description: 'with --ui: the port (default 0: a free one)',
    },
    {
      name: 'host',
      type: 'string',
      placeholder: 'HOST',
      description: 'with --ui: the interface (default 127.0.0.1)',
    },
  ],
  examples: [
    'weft inspect notes/todos/t1',
    'weft inspect notes/todos/t1 --json',
    'weft inspect --ui',
    'weft inspect --ui --port 4322 notes/todos/t1   # opens at that document',
  ],
  async run(ctx) {
    if (ctx.flags.ui === true) return openInspector(ctx);
    if (flag(ctx, 'port') !== undefined || flag(ctx, 'host') !== undefined)
      throw new UsageError('--port and --host go with --ui');
    return printDocument(ctx);
  },
};

async function printDocument(ctx: CommandContext): Promise<void> {
  {
    const raw = ctx.args[0];
    if (raw === undefined)
      throw new UsageError('missing <space>/<collection>/<id> (or --ui for the web inspector)');
    const { space: spaceName, collection: name, id } = parseTarget(raw, 'document');
    const found = await withDatabase(ctx.dataDir, { create: false }, async (db) => {
      const space = await existingSpace(db, spaceName);
      if (!space) return undefined;
      const collection = space.collection(name!);
      const doc = collection.get(id!);
      const conflicts = documentConflicts(space, name!, id!);
      const history = await space.documentHistory(name!, id!);
      return { doc, conflicts, history };
    });
    if (!found || (found.doc === undefined && found.history.length === 0))
      throw notFound(`${raw} does not exist`);
    const { doc, conflicts, history } = found;
    const data = {
      space: spaceName,
      collection: name,
      id,
      deleted: doc === undefined,
      doc: doc ? idFirst(doc) : null,
      conflicts,
      history,
    };
    ctx.out.result(data, () => human(raw, doc, conflicts, history));
  }
}

function human(
  raw: string,
  doc: Record<string, unknown> | undefined,
  conflicts: Record<string, ConflictValue[]>,
  history: readonly HistoryEntry[],
): string[] {
  const lines = [raw, ''];
  if (doc === undefined) lines.push('deleted');
  else {
    lines.push('fields');
    const rows = Object.entries(doc)
      .filter(([k]) => k !== 'id')
      .map(([k, v]) => {
        const n = conflicts[k]?.length;
        return [`${k}:`, toJson(v), ...(n ? [`(${n} concurrent values)`] : [])];
      });
    lines.push(...(rows.length ? table(rows, '  ') : ['  (none)']));
  }
  const fields = Object.entries(conflicts);
  lines.push('', fields.length ? 'conflicts' : 'conflicts: none');
  for (const [field, values] of fields) {
    lines.push(`  ${field}`);
    lines.push(
      ...table(
        values.map((c) => [
          c.winner ? '*' : ' ',
          toJson(c.value),
          c.actor,
          formatHlc(c.wall, c.logical),
        ]),
        '    ',
      ),
    );
  }
  if (fields.length) lines.push('  (* the value readers see: the latest stamp wins)');
  lines.push('', `history (${history.length} change${history.length === 1 ? '' : 's'})`);
  lines.push(
    ...table(
      history.map((h) => [h.actor, `#${h.seq}`, formatHlc(h.wall, h.logical), h.ops.join(', ')]),
      '  ',
    ),
  );
  return lines;
}
