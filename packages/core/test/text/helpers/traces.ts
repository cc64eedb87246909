import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

// The trace files of the text tests (see ../traces/SOURCES.md); their types and the replay of
// concurrent traces are the core's (src/text/traces.ts), shared with the text benchmark.

const dir = new URL('../traces/', import.meta.url);

export function loadTrace<T>(name: string): T {
  return JSON.parse(gunzipSync(readFileSync(new URL(`${name}.json.gz`, dir))).toString('utf8'));
}
