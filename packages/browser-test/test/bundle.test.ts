import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { bundle } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a page that imports a Node built-in does not bundle (no polyfills)', async () => {
  const entry = join(dir, 'node-only.ts');
  writeFileSync(entry, "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
  await expect(bundle({ entry })).rejects.toThrow(/node:fs/);
});

test('@weft packages resolve to their sources, and entries share chunks', async () => {
  const a = join(dir, 'a.ts');
  const b = join(dir, 'b.ts');
  writeFileSync(a, "import { encodeValue } from '@weft/core';\nexport const a = encodeValue(1);\n");
  writeFileSync(b, "import { encodeValue } from '@weft/core';\nexport const b = encodeValue(2);\n");
  const { files } = await bundle({ a, b });
  expect([...files.keys()].filter((p) => p.startsWith('/chunks/'))).not.toHaveLength(0);
  expect(files.has('/a.js') && files.has('/b.js')).toBe(true);
});
