import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The repository's packages folder. */
const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `@weft/<name>[/<sub>]` resolves to that package's TypeScript sources (as in vitest), so a page runs
 * the code under test, not a stale build.
 */
const weftSources: Plugin = {
  name: 'weft-sources',
  setup(b) {
    b.onResolve({ filter: /^@weft\/[a-z-]+(\/[a-z-]+)?$/ }, (args) => {
      const [name, sub] = args.path.slice('@weft/'.length).split('/');
      const path = resolve(PACKAGES, name!, 'src', sub ?? '', 'index.ts');
      return existsSync(path) ? { path } : undefined;
    });
  },
};

export interface BundleResult {
  /** Output files by URL path: `/<entry>.js` for each entry, plus shared chunks. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/**
 * Bundles entry points (name -> TypeScript or JavaScript file) as ESM for browsers, in
 * memory. The platform is 'browser' with no Node polyfills: an import of a Node built-in
 * fails the build, which is how the browser packages are checked to need none.
 */
export async function bundle(entries: Record<string, string>): Promise<BundleResult> {
  const result = await build({
    entryPoints: entries,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    write: false,
    outdir: '/',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'silent',
    plugins: [weftSources],
  });
  if (result.warnings.length > 0) {
    throw new Error(`bundle warnings:\n${result.warnings.map((w) => w.text).join('\n')}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const file of result.outputFiles) files.set(file.path, file.contents);
  return { files };
}
