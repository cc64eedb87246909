import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { cleanup, fingerprint, fixture, tempDir, weft, weftJson } from './helpers.js';

// Tests run concurrently (each spawns processes and waits); every one has its own directories.
afterAll(cleanup);

type Doc = Record<string, unknown> & { id: string };

test.concurrent('export a collection as JSON and NDJSON (stdout and --out), import both back', async () => {
  const dir = await fixture();
  const files = tempDir();
  const json = await weft(['export', 'notes/todos', '--data', dir]);
  expect(json.code).toBe(0);
  const docs = JSON.parse(json.stdout) as Doc[];
  expect(docs.map((d) => d.id)).toEqual(['t1', 't2', 't3']);

  const ndjsonFile = join(files, 'todos.ndjson');
  const summary = await weftJson(dir, ['export', 'notes/todos', '--out', ndjsonFile]);
  expect(summary).toEqual({ exported: 3, collections: 1, file: ndjsonFile, format: 'ndjson' });
  const lines = readFileSync(ndjsonFile, 'utf8').trimEnd().split('\n');
  expect(lines.map((l) => JSON.parse(l))).toEqual(docs);

  const jsonFile = join(files, 'todos.json');
  writeFileSync(jsonFile, json.stdout);
  const target = tempDir();
  const [fromJson, fromNdjson] = await Promise.all([
    weftJson(target, ['import', 'copy/json', jsonFile]),
    weft(['import', 'copy/ndjson', ndjsonFile, '--data', join(target, 'other')]),
  ]);
  expect(fromJson).toEqual({
    imported: 3,
    inserted: 3,
    replaced: 0,
    space: 'copy',
    collection: 'json',
    format: 'json',
  });
  expect(fromNdjson.code).toBe(0);
  expect(fromNdjson.stdout).toMatch(
    /^imported 3 documents into copy\/ndjson \(3 new, 0 replaced\) in /,
  );
  expect(fromNdjson.stderr).toBe(''); // no progress bar: stderr is not a terminal
  expect(await weftJson(target, ['find', 'copy/json'])).toEqual(docs);
  expect(await weftJson(join(target, 'other'), ['find', 'copy/ndjson'])).toEqual(docs);

  // Importing again replaces by id; documents without an id are inserted.
  const again = await weft(['import', 'copy/json', '-', '--format', 'ndjson', '--data', target], {
    input: '{"id":"t1","title":"MILK"}\n{"title":"new"}\n',
  });
  expect(again.stdout).toMatch(/imported 2 documents into copy\/json \(1 new, 1 replaced\)/);
  expect(await weftJson(target, ['get', 'copy/json/t1'])).toEqual({ id: 't1', title: 'MILK' });
});

test.concurrent('export and import a whole space in both formats', async () => {
  const dir = await fixture();
  await weft(['put', 'notes/tags', '{"id":"g1","name":"home"}', '--data', dir]);
  const files = tempDir();
  const jsonFile = join(files, 'notes.json');
  const ndjsonFile = join(files, 'notes.ndjson');
  const [toJson, toNdjson] = await Promise.all([
    weft(['export', 'notes', '--out', jsonFile, '--data', dir]),
    weft(['export', 'notes', '--format', 'ndjson', '--out', ndjsonFile, '--data', dir]),
  ]);
  expect(toJson.stdout).toBe(`exported 4 documents from notes to ${jsonFile} (json)\n`);
  expect(toNdjson.stdout).toBe(`exported 4 documents from notes to ${ndjsonFile} (ndjson)\n`);
  const exported = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, Doc[]>;
  expect(Object.keys(exported)).toEqual(['tags', 'todos']);
  expect(exported.todos).toHaveLength(3);
  const records = readFileSync(ndjsonFile, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(records[0]).toEqual({ collection: 'tags', doc: { id: 'g1', name: 'home' } });
  expect(records).toHaveLength(4);

  const target = tempDir();
  const [a, b] = await Promise.all([
    weftJson(join(target, 'a'), ['import', 'notes', jsonFile]),
    weftJson(join(target, 'b'), ['import', 'notes', ndjsonFile]),
  ]);
  expect(a).toMatchObject({ imported: 4, collection: null, format: 'json' });
  expect(b).toMatchObject({ imported: 4, collection: null, format: 'ndjson' });
  for (const sub of ['a', 'b']) {
    const again = await weft(['export', 'notes', '--data', join(target, sub)]);
    expect(JSON.parse(again.stdout)).toEqual(exported);
  }
});

test.concurrent('import 20,000 NDJSON documents with a progress bar, then export them back', async () => {
  const dir = tempDir();
  const file = join(dir, 'big.ndjson');
  const N = 20_000;
  let text = '';
  for (let i = 0; i < N; i++)
    text += `${JSON.stringify({ id: `d${String(i).padStart(5, '0')}`, n: i, tags: ['a', i % 2 ? 'odd' : 'even'], title: `doc ${i}` })}\n`; // fields read back in sorted order
  writeFileSync(file, text);
  const data = join(dir, 'data');
  const r = await weft(['import', 'big/docs', file, '--progress', '--data', data]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(
    /^imported 20,000 documents into big\/docs \(20,000 new, 0 replaced\) in /,
  );
  expect(r.stderr).toMatch(
    /reading \[#{24}\] 100% {2}[\d.]+ MiB\/[\d.]+ MiB {2}[\d.]+ (B|KiB|MiB|GiB)\/s/,
  );
  expect(r.stderr).toMatch(/writing \[#{24}\] 100% {2}20,000\/20,000 docs {2}[\d,]+ docs\/s/);

  const [status, sample, exported] = await Promise.all([
    weftJson(data, ['status']),
    weftJson(data, ['get', 'big/docs/d12345']),
    weft(['export', 'big/docs', '--format', 'ndjson', '--data', data]),
  ]);
  expect((status as { spaces: { documents: number; changes: number }[] }).spaces[0]).toMatchObject({
    documents: N,
    changes: N / 1000, // one transaction per batch of 1,000
  });
  expect(sample).toEqual({ id: 'd12345', n: 12345, title: 'doc 12345', tags: ['a', 'odd'] });
  expect(exported.stdout).toBe(text);
});

test.concurrent('a bad line in the middle of a big import writes nothing', async () => {
  const dir = await fixture();
  const files = tempDir();
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) lines.push(JSON.stringify({ id: `x${i}`, n: i }));
  lines[2500] = '{"id":"x2500","n":'; // cut short
  const file = join(files, 'bad.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const before = await fingerprint(dir);
  const r = await weft(['import', 'notes/todos', file, '--batch', '100', '--data', dir]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /^weft: \S+\/bad\.ndjson: line 2501: invalid JSON \(.*\); nothing was imported\n$/,
  );
  expect(await fingerprint(dir)).toEqual(before);
  expect(before.spaces[0]!.counts).toEqual({ todos: 3 });
});
