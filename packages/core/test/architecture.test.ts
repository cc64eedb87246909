import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]!);
}

test('the core imports no Node built-ins and no packages', () => {
  const allowed = /^\./;
  for (const file of sourceFiles(SRC)) {
    for (const spec of importsOf(file)) expect(spec, relative(SRC, file)).toMatch(allowed);
  }
});

test('the browser client imports no Node built-ins: only the core and its own files', () => {
  const client = resolve(SRC, '../../client/src');
  const files = sourceFiles(client);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    for (const spec of importsOf(file))
      expect(spec, relative(client, file)).toMatch(/^(\.|@weft\/core$)/);
  }
});

test('the core has no circular imports', () => {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const deps = importsOf(file)
      .filter((s) => s.startsWith('.'))
      .map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
    graph.set(file, deps);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push(
        [...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '),
      );
      return;
    }
    state.set(file, 'visiting');
    for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  expect(cycles).toEqual([]);
});
