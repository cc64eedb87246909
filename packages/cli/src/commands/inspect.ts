import type { ConflictValue, HistoryEntry } from '@weft/core';
import { parseTarget } from '../args.js';
import { arg, type Command } from '../command.js';
import { existingSpace, withDatabase } from '../db.js';
import { idFirst } from '../document.js';
import { notFound } from '../errors.js';
import { formatHlc, table } from '../format.js';
import { toJson } from '../output.js';

export const inspect: Command = {
  name: 'inspect',
  args: ['<space>/<collection>/<id>'],
  summary: "show a document's fields, conflicts and history",
  description:
    'Shows a document as it reads now; every top-level field that holds concurrent values\n' +
    '(written on two replicas before they synced), with the value each replica wrote and which\n' +
    'one wins; and the changes that made the document: actor, sequence number, hybrid logical\n' +
    'clock stamp and operations. A deleted document shows its history.',
  examples: ['weft inspect notes/todos/t1', 'weft inspect notes/todos/t1 --json'],
  async run(ctx) {
    const raw = arg(ctx, 0);
    const { space: spaceName, collection: name, id } = parseTarget(raw, 'document');
    const found = await withDatabase(ctx.dataDir, { create: false }, async (db) => {
      const space = await existingSpace(db, spaceName);
      if (!space) return undefined;
      const collection = space.collection(name!);
      const doc = collection.get(id!);
      const conflicts: Record<string, ConflictValue[]> = {};
      for (const field of Object.keys(doc ?? {})) {
        if (field === 'id') continue;
        const values = collection.conflicts(id!, field);
        if (values.length > 1) conflicts[field] = values;
      }
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
  },
};

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
