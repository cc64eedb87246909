#!/usr/bin/env node
// The `weft` command that npm links into node_modules/.bin. It is checked in rather than built
// because npm links bins during `npm install`, before `tsc -b` has written dist/ (a bin whose
// file is missing then is not linked at all). It only loads the build.
const entry = new URL('../dist/bin.js', import.meta.url);
try {
  await import(entry.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(entry.pathname))
    throw error;
  process.stderr.write('weft: the CLI is not built yet; run `npm run build` (tsc -b) first\n');
  process.exitCode = 1;
}
