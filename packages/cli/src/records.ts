import { extname } from 'node:path';
import type { Format } from './args.js';
import { documentProblem, type JsonDoc } from './document.js';
import { CliError } from './errors.js';
import { locateJsonError } from './json-locate.js';

/** One document to import, with where it came from for error messages. */
export interface ImportRecord {
  readonly collection: string;
  readonly doc: JsonDoc;
}

/**
 * The format of an import file: --format if given, else its extension (.json; .ndjson or
 * .jsonl), else its content: `[`, or a first line that is just `{` (a pretty-printed object, as
 * `weft export` writes), is JSON; anything else is NDJSON.
 */
export function guessFormat(path: string, bytes: Uint8Array): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).replace(/^\uFEFF/, '');
  const start = head.trimStart();
  if (start.startsWith('[')) return 'json';
  return start.split('\n', 1)[0]!.trim() === '{' ? 'json' : 'ndjson';
}

export interface ParseOptions {
  readonly file: string;
  readonly format: Format;
  /** The collection to import into, or undefined for a whole space (records name theirs). */
  readonly collection: string | undefined;
  /** Told how many bytes have been read so far. */
  readonly onProgress?: (bytes: number) => void;
}

/**
 * Parses and checks every record of an import file, before anything is written: each must be
 * a JSON object with, if any, a non-empty string id, and hold only storable values. The first
 * bad record stops the import with its line (NDJSON) or record number (JSON).
 */
export function parseRecords(bytes: Uint8Array, options: ParseOptions): ImportRecord[] {
  return options.format === 'ndjson' ? parseNdjson(bytes, options) : parseJson(bytes, options);
}

function bad(file: string, where: string, message: string): CliError {
  return new CliError('invalid-input', `${file}: ${where}: ${message}; nothing was imported`);
}

function parseNdjson(bytes: Uint8Array, options: ParseOptions): ImportRecord[] {
  const { file, collection, onProgress } = options;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: ImportRecord[] = [];
  let start = 0;
  for (let line = 1; start < buffer.length; line++) {
    const newline = buffer.indexOf(10, start);
    const end = newline < 0 ? buffer.length : newline;
    let text = decoder.decode(buffer.subarray(start, end));
    if (line === 1) text = text.replace(/^\uFEFF/, '');
    start = end + 1;
    if ((line & 1023) === 0) onProgress?.(Math.min(start, buffer.length));
    if (text.trim() === '') continue;
    const where = `line ${line}`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw bad(file, where, `invalid JSON (${(error as Error).message})`);
    }
    if (collection !== undefined) {
      records.push({ collection, doc: checkDoc(value, file, where) });
      continue;
    }
    if (!isObject(value) || typeof value.collection !== 'string' || value.collection === '') {
      throw bad(
        file,
        where,
        'expected {"collection": "<name>", "doc": {...}} (a whole-space file)',
      );
    }
    records.push({ collection: value.collection, doc: checkDoc(value.doc, file, where) });
  }
  onProgress?.(buffer.length);
  return records;
}

function parseJson(bytes: Uint8Array, options: ParseOptions): ImportRecord[] {
  const { file, collection, onProgress } = options;
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = locateJsonError(text) ?? 'the top level';
    throw bad(file, where, `invalid JSON (${(error as Error).message})`);
  }
  onProgress?.(bytes.length);
  if (collection !== undefined) {
    if (isObject(value)) return [{ collection, doc: checkDoc(value, file, 'record 1') }];
    if (!Array.isArray(value)) throw bad(file, 'the top level', 'expected an array of documents');
    return value.map((doc, i) => ({ collection, doc: checkDoc(doc, file, `record ${i + 1}`) }));
  }
  if (!isObject(value)) {
    throw bad(
      file,
      'the top level',
      'expected {"<collection>": [documents...]} (a whole-space file)',
    );
  }
  const records: ImportRecord[] = [];
  for (const [name, docs] of Object.entries(value)) {
    if (!Array.isArray(docs) || name === '')
      throw bad(file, `collection "${name}"`, 'expected an array of documents');
    docs.forEach((doc, i) => {
      records.push({ collection: name, doc: checkDoc(doc, file, `"${name}" record ${i + 1}`) });
    });
  }
  return records;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkDoc(value: unknown, file: string, where: string): JsonDoc {
  const problem = documentProblem(value);
  if (problem) throw bad(file, where, problem);
  return value as JsonDoc;
}
