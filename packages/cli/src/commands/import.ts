import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Collection, Space } from '@weft/core';
import { parseCount, parseFormat, parseTarget } from '../args.js';
import { arg, type Command, flag } from '../command.js';
import { withDatabase } from '../db.js';
import { CliError } from '../errors.js';
import { formatCount, formatDuration, plural } from '../format.js';
import { ProgressBar } from '../progress.js';
import { guessFormat, type ImportRecord, parseRecords } from '../records.js';

export const importCommand: Command = {
  name: 'import',
  args: ['<space>[/<collection>]', '<file>'],
  summary: 'insert or replace documents from a JSON or NDJSON file',
  description:
    'Reads documents from <file> (- for stdin) and writes them: a document with an "id" is\n' +
    'created or replaced, one without is inserted with a new id. Into a collection the file\n' +
    'holds documents (a JSON array, or one per line); into a whole space, the shapes\n' +
    '`weft export <space>` writes. The format is --format, else the extension (.json;\n' +
    '.ndjson, .jsonl), else the first character.\n' +
    'The whole file is read and checked first: one bad record (invalid JSON, not an object, a\n' +
    'value Weft cannot store) stops the import, naming its line or record, and nothing is\n' +
    'written. Documents are then written in transactions of --batch documents. A progress bar\n' +
    'goes to stderr when it is a terminal, or with --progress.',
  options: [
    { name: 'format', type: 'string', placeholder: 'json|ndjson', description: 'the input format' },
    {
      name: 'batch',
      type: 'string',
      placeholder: 'N',
      description: 'documents per transaction (default 1000)',
    },
    {
      name: 'progress',
      type: 'boolean',
      description: 'show the progress bar even when stderr is not a terminal',
    },
  ],
  examples: [
    'weft import notes/todos todos.ndjson',
    'weft import notes notes.json --progress',
    'cat todos.json | weft import notes/todos - --format json',
  ],
  async run(ctx) {
    const target = parseTarget(arg(ctx, 0), 'space?collection');
    const source = arg(ctx, 1);
    const explicit = parseFormat(flag(ctx, 'format'));
    const batchText = flag(ctx, 'batch');
    const batch = batchText === undefined ? 1000 : parseCount(batchText, '--batch', 1);
    const stderr = ctx.out.stderr;
    const showProgress = ctx.flags.progress === true || stderr.isTTY === true;
    const file = source === '-' ? 'stdin' : resolve(source);

    let bytes: Buffer;
    try {
      bytes = readFileSync(source === '-' ? 0 : file);
    } catch (error) {
      throw new CliError('io', `cannot read ${file}: ${(error as Error).message}`);
    }
    const format = explicit ?? guessFormat(source === '-' ? '' : file, bytes);
    const started = performance.now();
    const reading = new ProgressBar({
      label: 'reading',
      total: bytes.length,
      unit: 'bytes',
      stream: stderr,
      enabled: showProgress,
    });
    const records = parseRecords(bytes, {
      file: source === '-' ? 'stdin' : source,
      format,
      collection: target.collection,
      onProgress: (n) => reading.update(n),
    });
    reading.finish();

    const counts = { inserted: 0, replaced: 0 };
    if (records.length > 0) {
      await withDatabase(ctx.dataDir, { create: true }, async (db) => {
        const space = await db.space(target.space);
        const writing = new ProgressBar({
          label: 'writing',
          total: records.length,
          unit: 'docs',
          stream: stderr,
          enabled: showProgress,
        });
        await write(space, records, batch, counts, (n) => writing.update(n));
        writing.finish();
      });
    }
    const imported = records.length;
    const ms = performance.now() - started;
    ctx.out.result(
      { imported, ...counts, space: target.space, collection: target.collection ?? null, format },
      () =>
        `imported ${plural(imported, 'document')} into ${arg(ctx, 0)} (${formatCount(counts.inserted)} new, ${formatCount(counts.replaced)} replaced) in ${formatDuration(ms)}`,
    );
  },
};

/** Writes the records in transactions of `batch`; each transaction is all or nothing. */
async function write(
  space: Space,
  records: readonly ImportRecord[],
  batch: number,
  counts: { inserted: number; replaced: number },
  progress: (done: number) => void,
): Promise<void> {
  const handles = new Map<string, Collection<Record<string, unknown>>>();
  const handle = (name: string) => {
    let c = handles.get(name);
    if (!c) {
      c = space.collection(name);
      handles.set(name, c);
    }
    return c;
  };
  for (let start = 0; start < records.length; start += batch) {
    const slice = records.slice(start, start + batch);
    const before = { ...counts };
    try {
      await space.transact(() => {
        for (const { collection, doc } of slice) {
          const c = handle(collection);
          const id = doc.id;
          if (typeof id !== 'string') {
            c.insert(doc);
            counts.inserted++;
          } else {
            if (c.get(id) === undefined) counts.inserted++;
            else counts.replaced++;
            c.put(doc as Record<string, unknown> & { id: string });
          }
        }
      });
    } catch (error) {
      Object.assign(counts, before);
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown }).code;
      throw new CliError(
        typeof code === 'string' ? code : 'error',
        `${message} (while writing records ${start + 1}-${start + slice.length}; the ${formatCount(start)} before them were written, nothing after)`,
      );
    }
    progress(start + slice.length);
  }
}
