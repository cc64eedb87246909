import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Space } from '@weft/core';
import { type Format, parseFormat, parseTarget } from '../args.js';
import { arg, type Command, flag } from '../command.js';
import { requireSpace, withDatabase } from '../db.js';
import { idFirst } from '../document.js';
import { CliError, UsageError } from '../errors.js';
import { plural } from '../format.js';
import { toJson } from '../output.js';

type Doc = Record<string, unknown>;

export const exportCommand: Command = {
  name: 'export',
  args: ['<space>[/<collection>]'],
  summary: 'write every document of a space or collection as JSON or NDJSON',
  description:
    'Writes all documents, in id order, to stdout or --out FILE.\n' +
    '  json, one collection:  [doc, ...]\n' +
    '  json, a whole space:   {"<collection>": [doc, ...], ...}\n' +
    '  ndjson, one collection: one document per line\n' +
    '  ndjson, a whole space:  one {"collection": "<name>", "doc": {...}} per line\n' +
    'The format defaults to the extension of --out (.ndjson or .jsonl: ndjson), else json.\n' +
    'Without --out, stdout carries the export itself (even with --json); with --out, stdout\n' +
    'gets a summary. `weft import` reads both formats back.',
  options: [
    {
      name: 'format',
      type: 'string',
      placeholder: 'json|ndjson',
      description: 'the output format',
    },
    {
      name: 'out',
      type: 'string',
      placeholder: 'FILE',
      description: 'write to FILE instead of stdout',
    },
  ],
  examples: [
    'weft export notes > notes.json',
    'weft export notes/todos --format ndjson --out todos.ndjson',
  ],
  async run(ctx) {
    const target = parseTarget(arg(ctx, 0), 'space?collection');
    const out = flag(ctx, 'out');
    if (out === '') throw new UsageError('--out takes a file name');
    const format = parseFormat(flag(ctx, 'format')) ?? formatOf(out);
    const collections = await withDatabase(ctx.dataDir, { create: false }, async (db) =>
      read(await requireSpace(db, target.space), target.collection),
    );
    const text = serialize(collections, format, target.collection !== undefined);
    const count = collections.reduce((n, [, docs]) => n + docs.length, 0);
    if (out === undefined) {
      ctx.out.stdout.write(text);
      return;
    }
    const file = resolve(out);
    try {
      writeFileSync(file, text);
    } catch (error) {
      throw new CliError('io', `cannot write ${file}: ${(error as Error).message}`);
    }
    ctx.out.result(
      { exported: count, collections: collections.length, file, format },
      () => `exported ${plural(count, 'document')} from ${arg(ctx, 0)} to ${file} (${format})`,
    );
  },
};

function formatOf(out: string | undefined): Format {
  const ext = out === undefined ? '' : extname(out).toLowerCase();
  return ext === '.ndjson' || ext === '.jsonl' ? 'ndjson' : 'json';
}

function read(space: Space, only: string | undefined): [string, Doc[]][] {
  const names = only === undefined ? space.collectionNames() : [only];
  return names.map((name) => [name, space.collection(name).find().map(idFirst)]);
}

function serialize(collections: readonly [string, Doc[]][], format: Format, one: boolean): string {
  if (format === 'ndjson') {
    const lines = one
      ? (collections[0]?.[1] ?? []).map((d) => toJson(d))
      : collections.flatMap(([name, docs]) => docs.map((doc) => toJson({ collection: name, doc })));
    return lines.map((l) => `${l}\n`).join('');
  }
  const array = (docs: readonly Doc[]) =>
    docs.length === 0 ? '[]' : `[\n${docs.map((d) => toJson(d)).join(',\n')}\n]`;
  if (one) return `${array(collections[0]?.[1] ?? [])}\n`;
  if (collections.length === 0) return '{}\n';
  const entries = collections.map(([name, docs]) => `${JSON.stringify(name)}: ${array(docs)}`);
  return `{\n${entries.join(',\n')}\n}\n`;
}
