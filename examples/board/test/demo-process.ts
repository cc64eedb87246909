import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const board = fileURLToPath(new URL('../', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Builds the demo app as `npm start` does (Vite, into examples/board/dist). */
export function buildDemo(): void {
  // NODE_ENV is 'test' under vitest; the app must be built as npm start builds it.
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync('npm', ['run', 'build', '-w', 'examples/board'], { cwd: root, stdio: 'pipe', env });
}

export interface DemoServer {
  /** The app, e.g. http://127.0.0.1:4321/ */
  readonly url: string;
  readonly port: number;
  /** SIGTERM, and the exit (weft serve finishes its writes first). */
  stop(): Promise<void>;
}

/**
 * Runs the main job as a user does after the build: `node examples/board/start.mjs` (seed on
 * first run, then a real `weft serve` process with the app and the inspector), on `port`
 * (0: a free one) and `dataDir`.
 */
export async function startDemo(dataDir: string, port = 0): Promise<DemoServer> {
  const child = spawn(process.execPath, ['start.mjs'], {
    cwd: board,
    env: { ...process.env, WEFT_DATA_DIR: dataDir, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${output}`)), 30_000);
    const look = () => {
      const match = /^app\s+(http:\/\/\S+)/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    child.on('exit', (code) => reject(new Error(`the demo exited (${code}):\n${output}`)));
  });
  return { url, port: Number(new URL(url).port), stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
