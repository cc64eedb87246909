import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanup, fingerprint, fixture, tempDir, weft } from './helpers.js';

afterAll(cleanup);

interface Case {
  readonly args: readonly string[];
  readonly code: 1 | 2;
  readonly message: RegExp;
  /** Writes the file an import reads; gets a temp directory. */
  readonly file?: (dir: string) => string;
}

const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });

/** One bad invocation per line: its exit code and the one-line message it must print. */
const CASES: Record<string, Case> = {
  'put: missing json': {
    args: ['put', 'notes/todos'],
    code: 2,
    message: /^weft: missing <json>; see weft put --help$/,
  },
  'put: malformed target': {
    args: ['put', 'notes', '{"a":1}'],
    code: 2,
    message: /^weft: expected <space>\/<collection>, got "notes"; see weft put --help$/,
  },
  'put: target with an id': {
    args: ['put', 'notes/todos/t1', '{}'],
    code: 2,
    message: /expected <space>\/<collection>, got "notes\/todos\/t1"/,
  },
  'put: malformed JSON': {
    args: ['put', 'notes/todos', '{title:'],
    code: 2,
    message: /^weft: <json> is not valid JSON \(.*\); see weft put --help$/,
  },
  'put: JSON that is not an object': {
    args: ['put', 'notes/todos', '[1,2]'],
    code: 2,
    message: /<json> must be a JSON object/,
  },
  'put: malformed JSON on stdin': {
    args: ['put', 'notes/todos', '-'],
    code: 2,
    message: /stdin is not valid JSON/,
  },
  'put: an id that is not a string': {
    args: ['put', 'notes/todos', '{"id":5}'],
    code: 1,
    message: /^weft: <json>: "id" must be a non-empty string, got 5$/,
  },
  'put: a value nested too deep': {
    args: ['put', 'notes/todos', JSON.stringify({ id: 'd', v: deep(70) })],
    code: 1,
    message: /^weft: <json>: value nested deeper than 64$/,
  },
  'put: unknown option': {
    args: ['put', 'notes/todos', '{}', '--bogus'],
    code: 2,
    message: /^weft: unknown option --bogus; see weft put --help$/,
  },
  'put: extra argument': {
    args: ['put', 'notes/todos', '{}', 'more'],
    code: 2,
    message: /unexpected argument "more"/,
  },
  'get: missing id': {
    args: ['get', 'notes/todos'],
    code: 2,
    message:
      /^weft: expected <space>\/<collection>\/<id>, got "notes\/todos"; see weft get --help$/,
  },
  'get: empty part': {
    args: ['get', 'notes//t1'],
    code: 2,
    message: /expected <space>\/<collection>\/<id>/,
  },
  'get: not found': {
    args: ['get', 'notes/todos/nope'],
    code: 1,
    message: /^weft: notes\/todos\/nope does not exist$/,
  },
  'get: no such space': { args: ['get', 'nowhere/todos/t1'], code: 1, message: /does not exist/ },
  'find: malformed --where': {
    args: ['find', 'notes/todos', '--where', '{done:'],
    code: 2,
    message: /^weft: --where is not valid JSON/,
  },
  'find: --where that is not a query': {
    args: ['find', 'notes/todos', '--where', '{"priority":{"bogus":1}}'],
    code: 2,
    message: /is not a condition.*; see weft find --help$/,
  },
  'find: --where that is an array': {
    args: ['find', 'notes/todos', '--where', '[]'],
    code: 2,
    message: /--where must be a JSON object/,
  },
  'find: --limit 0': {
    args: ['find', 'notes/todos', '--limit', '0'],
    code: 2,
    message: /--limit takes a whole number ≥ 1, got "0"/,
  },
  'find: --offset -1': {
    args: ['find', 'notes/todos', '--offset', '-1'],
    code: 2,
    message: /--offset takes a whole number ≥ 0/,
  },
  'find: empty --order term': {
    args: ['find', 'notes/todos', '--order', 'title,,'],
    code: 2,
    message: /--order takes fields separated by commas/,
  },
  'find: --limit without a value': {
    args: ['find', 'notes/todos', '--limit'],
    code: 2,
    message: /^weft: --limit needs a value; see weft find --help$/,
  },
  'find: no such space': {
    args: ['find', 'nowhere/todos'],
    code: 1,
    message: /^weft: space "nowhere" does not exist; `weft status` lists the spaces$/,
  },
  'delete: not found': {
    args: ['delete', 'notes/todos/nope'],
    code: 1,
    message: /^weft: notes\/todos\/nope does not exist$/,
  },
  'delete: malformed target': {
    args: ['delete', 'notes'],
    code: 2,
    message: /expected <space>\/<collection>\/<id>, got "notes"; see weft delete --help/,
  },
  'status: extra argument': {
    args: ['status', 'notes'],
    code: 2,
    message: /^weft: unexpected argument "notes"; see weft status --help$/,
  },
  'inspect: not found': {
    args: ['inspect', 'notes/todos/nope'],
    code: 1,
    message: /does not exist/,
  },
  'inspect: malformed target': {
    args: ['inspect', 'notes/todos/'],
    code: 2,
    message: /expected <space>\/<collection>\/<id>/,
  },
  'export: a document is not a target': {
    args: ['export', 'notes/todos/t1'],
    code: 2,
    message: /expected <space> or <space>\/<collection>/,
  },
  'export: unknown format': {
    args: ['export', 'notes', '--format', 'xml'],
    code: 2,
    message: /--format is json or ndjson, got "xml"/,
  },
  'export: --out into a missing directory': {
    args: ['export', 'notes', '--out', '/nonexistent/dir/notes.json'],
    code: 1,
    message: /^weft: cannot write \/nonexistent\/dir\/notes\.json: ENOENT/,
  },
  'export: no such space': {
    args: ['export', 'nowhere'],
    code: 1,
    message: /space "nowhere" does not exist/,
  },
  'import: missing file argument': {
    args: ['import', 'notes/todos'],
    code: 2,
    message: /missing <file>/,
  },
  'import: no such file': {
    args: ['import', 'notes/todos', '/nonexistent/weft.ndjson'],
    code: 1,
    message: /^weft: cannot read \/nonexistent\/weft\.ndjson: ENOENT/,
  },
  'import: unknown format': {
    args: ['import', 'notes/todos', 'x', '--format', 'csv'],
    code: 2,
    message: /--format is json or ndjson/,
  },
  'import: --batch 0': {
    args: ['import', 'notes/todos', 'x', '--batch', '0'],
    code: 2,
    message: /--batch takes a whole number ≥ 1/,
  },
  'import: a line that is not an object': {
    args: ['import', 'notes/todos'],
    file: (d) => write(d, 'a.ndjson', '{"id":"n1","x":1}\n[1,2]\n{"id":"n3"}\n'),
    code: 1,
    message:
      /a\.ndjson: line 2: expected a JSON object \(a document\), got an array; nothing was imported$/,
  },
  'import: an id that is not a string': {
    args: ['import', 'notes/todos'],
    file: (d) => write(d, 'a.ndjson', '{"x":1}\n\n{"id":7}\n'),
    code: 1,
    message: /line 3: "id" must be a non-empty string, got 7/,
  },
  'import: a value Weft cannot store': {
    args: ['import', 'notes/todos'],
    file: (d) => write(d, 'a.jsonl', `{"id":"ok"}\n${JSON.stringify({ v: deep(70) })}\n`),
    code: 1,
    message: /line 2: value nested deeper than 64/,
  },
  'import: JSON with a non-object record': {
    args: ['import', 'notes/todos'],
    file: (d) => write(d, 'a.json', '[{"id":"a"},{"id":"b"},"c"]'),
    code: 1,
    message: /a\.json: record 3: expected a JSON object \(a document\), got string/,
  },
  'import: JSON with a syntax error': {
    args: ['import', 'notes/todos'],
    file: (d) => write(d, 'a.json', '[\n{"id":"a"},\n{"id":"b",},\n{"id":"c"}\n]\n'),
    code: 1,
    message: /a\.json: record 2 \(line 3\): invalid JSON/,
  },
  'import: a whole-space NDJSON line without a collection': {
    args: ['import', 'notes'],
    file: (d) => write(d, 'a.ndjson', '{"collection":"todos","doc":{"id":"x"}}\n{"doc":{}}\n'),
    code: 1,
    message: /line 2: expected \{"collection": "<name>", "doc": \{\.\.\.\}\}/,
  },
  'unknown command': {
    args: ['frob'],
    code: 2,
    message: /^weft: unknown command "frob"; see weft --help$/,
  },
  'no command': {
    args: [],
    code: 2,
    message: /^weft: expected a command \(init, put, .*\); see weft --help$/,
  },
  '--data without a value': {
    args: ['status', '--data'],
    code: 2,
    message: /^weft: --data needs a value; see weft status --help$/,
  },
  'init: extra argument': { args: ['init', 'now'], code: 2, message: /unexpected argument "now"/ },
};

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('bad input: a one-line message, exit code 2 (usage) or 1 (failure), nothing written', () => {
  test.concurrent.each(Object.entries(CASES))('%s', async (_name, c) => {
    const dir = await fixture();
    const args = c.file ? [...c.args, c.file(tempDir())] : [...c.args];
    const before = await fingerprint(dir);
    const r = await weft([...args, '--data', dir], { input: '{oops' });
    expect(r.code).toBe(c.code);
    expect(r.stderr.split('\n')).toHaveLength(2); // one line, then the final newline
    expect(r.stderr.trimEnd()).toMatch(c.message);
    expect(r.stdout).toBe('');
    expect(await fingerprint(dir)).toEqual(before);
  });

  test('with --json the error is also a JSON document on stdout', async () => {
    const dir = await fixture();
    const [usage, missing] = await Promise.all([
      weft(['get', 'notes', '--json', '--data', dir]),
      weft(['get', 'notes/todos/nope', '--json', '--data', dir]),
    ]);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      error: {
        code: 'usage',
        message: 'expected <space>/<collection>/<id>, got "notes"; see weft get --help',
      },
    });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: 'not-found', message: 'notes/todos/nope does not exist' },
    });
    const query = await weft([
      'find',
      'notes/todos',
      '--where',
      '{"a":{"nope":1}}',
      '--json',
      '--data',
      dir,
    ]);
    expect(JSON.parse(query.stdout).error.code).toBe('invalid-query');
  });

  test('reading commands never create a database; they say to run weft init', async () => {
    const dir = tempDir();
    const results = await Promise.all(
      [
        ['get', 'notes/todos/t1'],
        ['find', 'notes/todos'],
        ['delete', 'notes/todos/t1'],
        ['status'],
        ['inspect', 'notes/todos/t1'],
        ['export', 'notes'],
      ].map((args) => weft([...args, '--data', dir])),
    );
    for (const r of results) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^weft: no Weft database in .*; run `weft init` first/);
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'weft.sqlite'))).toBe(false);
  });
});
