// `npm start`: the demo board and the inspector, served by a real `weft serve`.
// The data lives in .weft-demo/ at the repository root (WEFT_DATA_DIR moves it); PORT picks
// the port (default 4321). Run after the build (npm start does both).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { seedDemo } from './seed.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = process.env.WEFT_DATA_DIR ?? `${root}.weft-demo`;
const port = process.env.PORT ?? '4321';
const app = fileURLToPath(new URL('./dist', import.meta.url));
const weft = fileURLToPath(new URL('../../packages/cli/bin/weft.js', import.meta.url));

await seedDemo(dataDir);
console.log('\nOpen the board in two windows (or two browsers) and edit in both at once.');
console.log('Ctrl-C stops the server; the data stays in', dataDir, '\n');
const server = spawn(
  process.execPath,
  [weft, 'serve', '--port', port, '--data', dataDir, '--app', app],
  { stdio: 'inherit' },
);
// Ctrl-C reaches both processes; the server finishes its writes, then we exit with it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => server.kill('SIGTERM'));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
