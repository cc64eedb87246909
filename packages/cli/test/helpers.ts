import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteDatabase } from '@weft/sqlite';

/** The built CLI (vitest's global setup runs `tsc -b` first). */
export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
/** What npm links as `weft` in node_modules/.bin: a checked-in file that loads the build. */
export const LAUNCHER = fileURLToPath(new URL('../bin/weft.js', import.meta.url));

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the child's stdin (stdin is closed either way). */
  readonly input?: string;
  /** Extra environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The script to run; default BIN. */
  readonly bin?: string;
}

const dirs: string[] = [];

/** A fresh temporary directory, removed by `cleanup()`. */
export function tempDir(prefix = 'weft-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Removes every directory made so far (call in afterAll: tests may run concurrently). */
export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  template = undefined;
}

/**
 * Runs the real `weft` binary. WEFT_DATA_DIR is unset and XDG_DATA_HOME points into a temporary
 * directory unless `env` says otherwise, so a test can never touch the user's real data.
 */
export function weft(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    WEFT_DATA_DIR: undefined,
    XDG_DATA_HOME: join(tempDir('weft-xdg-'), 'share'),
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? BIN, ...args], { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs `weft … --json --data <dir>` and parses its stdout. */
export async function weftJson(dir: string, args: readonly string[]): Promise<unknown> {
  const result = await weft([...args, '--json', '--data', dir]);
  if (result.code !== 0) throw new Error(`weft ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export interface Fingerprint {
  readonly spaces: readonly {
    readonly name: string;
    readonly heads: readonly string[];
    readonly changes: number;
    readonly counts: Readonly<Record<string, number>>;
  }[];
}

/** What a database holds, read in-process: changes when anything is written, nothing else. */
export async function fingerprint(dataDir: string): Promise<Fingerprint> {
  const db = await openSqliteDatabase({ dataDir });
  try {
    const spaces = [];
    for (const name of await db.spaceNames()) {
      const space = await db.space(name);
      const counts: Record<string, number> = {};
      for (const c of space.collectionNames()) counts[c] = space.collection(c).count();
      spaces.push({ name, heads: space.heads(), changes: space.stats().changes, counts });
    }
    return { spaces };
  } finally {
    await db.close();
  }
}

let template: Promise<string> | undefined;

/**
 * A data directory holding space `notes` with documents t1..t3 in `todos`: a copy of one
 * written in-process once per test file (copying is cheaper than writing with fsync).
 */
export async function fixture(): Promise<string> {
  template ??= (async () => {
    const dir = tempDir('weft-fixture-');
    const db = await openSqliteDatabase({ dataDir: dir });
    const todos = (await db.space('notes')).collection('todos');
    await todos.put({ id: 't1', title: 'milk', done: false, priority: 2 });
    await todos.put({ id: 't2', title: 'eggs', done: true, priority: 1 });
    await todos.put({ id: 't3', title: 'bread', done: false, priority: 3 });
    await db.close();
    return dir;
  })();
  const source = await template;
  const dir = tempDir();
  cpSync(source, dir, { recursive: true });
  return dir;
}
