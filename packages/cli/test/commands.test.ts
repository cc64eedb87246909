import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BIN, cleanup, fixture, LAUNCHER, tempDir, weft, weftJson } from './helpers.js';

// Tests run concurrently (each spawns processes and waits); every one has its own directories.
afterAll(cleanup);

const COMMANDS = ['init', 'put', 'get', 'find', 'delete', 'status', 'inspect', 'export', 'import'];

describe.concurrent('help', () => {
  test('weft --help, weft help <command>, and --help on every command exit 0 with usage', async () => {
    const general = await weft(['--help']);
    expect(general.code).toBe(0);
    for (const c of COMMANDS) expect(general.stdout).toContain(`  ${c}`);
    expect(general.stdout).toMatch(/--data DIR/);

    const results = await Promise.all(COMMANDS.map((c) => weft([c, '--help'])));
    results.forEach((r, i) => {
      expect(r.code, COMMANDS[i]).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: weft ${COMMANDS[i]}`));
      expect(r.stdout).toContain('--json');
      expect(r.stderr).toBe('');
    });
    // -h, help <command>, and --help even beside arguments that would be wrong
    const [short, helpPut, mixed] = await Promise.all([
      weft(['get', '-h']),
      weft(['help', 'put']),
      weft(['find', 'not-a-target', '--help']),
    ]);
    expect(short.stdout).toMatch(/^Usage: weft get <space>\/<collection>\/<id>/);
    expect(helpPut.stdout).toMatch(/^Usage: weft put <space>\/<collection> <json>/);
    expect(mixed.code).toBe(0);
    expect(mixed.stdout).toContain('--where JSON');
  });

  test('the bin npm links (bin/weft.js, named in package.json) runs the build', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.bin).toEqual({ weft: './bin/weft.js' });
    expect(readFileSync(LAUNCHER, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(readFileSync(BIN, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    const r = await weft(['--help'], { bin: LAUNCHER });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^weft: the command line for Weft/);
  });
});

describe.concurrent('init', () => {
  test('creates the data directory and database, prints the replica id; again just opens it', async () => {
    const dir = join(tempDir(), 'nested', 'data');
    const first = await weft(['init', '--data', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^created .*weft\.sqlite\nreplica {2}[0-9a-f]{16}\ndata dir /);
    expect(existsSync(join(dir, 'weft.sqlite'))).toBe(true);

    const again = (await weftJson(dir, ['init'])) as Record<string, unknown>;
    expect(again).toEqual({
      replicaId: first.stdout.match(/replica {2}(\S+)/)?.[1],
      dataDir: dir,
      file: join(dir, 'weft.sqlite'),
      created: false,
    });
  });

  test('honours WEFT_DATA_DIR, and --data overrides it', async () => {
    const envDir = tempDir();
    const flagDir = tempDir();
    const viaEnv = await weft(['init', '--json'], { env: { WEFT_DATA_DIR: envDir } });
    expect(JSON.parse(viaEnv.stdout).dataDir).toBe(envDir);
    const put = await weft(['put', 'notes/todos', '{"id":"a","x":1}'], {
      env: { WEFT_DATA_DIR: envDir },
    });
    expect(put.code).toBe(0);
    expect((await weft(['get', 'notes/todos/a', '--data', envDir])).code).toBe(0);

    const viaFlag = await weft(['init', '--json', '--data', flagDir], {
      env: { WEFT_DATA_DIR: envDir },
    });
    expect(JSON.parse(viaFlag.stdout).dataDir).toBe(flagDir);
    expect(existsSync(join(flagDir, 'weft.sqlite'))).toBe(true);
  });

  test('without --data or WEFT_DATA_DIR, uses the OS data directory (XDG_DATA_HOME here)', async () => {
    const xdg = tempDir();
    const r = await weft(['init', '--json'], { env: { XDG_DATA_HOME: xdg } });
    expect(JSON.parse(r.stdout).dataDir).toBe(join(xdg, 'weft'));
  });
});

describe.concurrent('put, get, find, delete', () => {
  test('put inserts (new id) or replaces (given id) and prints the stored document', async () => {
    const dir = tempDir();
    const inserted = await weft([
      'put',
      'notes/todos',
      '{"title":"milk","done":false}',
      '--data',
      dir,
    ]);
    expect(inserted.code).toBe(0);
    const doc = JSON.parse(inserted.stdout);
    expect(doc).toEqual({
      title: 'milk',
      done: false,
      id: expect.stringMatching(/^[0-9a-z]{20}$/),
    });
    expect(inserted.stdout).toContain('\n  "title": "milk"'); // human output is indented

    const replaced = await weftJson(dir, [
      'put',
      'notes/todos',
      JSON.stringify({ id: doc.id, title: 'oat milk' }),
    ]);
    expect(replaced).toEqual({ id: doc.id, title: 'oat milk' });

    const fromStdin = await weft(['put', 'notes/todos', '-', '--json', '--data', dir], {
      input: '{"id":"s1","title":"from stdin","n":[1,2]}',
    });
    expect(JSON.parse(fromStdin.stdout)).toEqual({ id: 's1', title: 'from stdin', n: [1, 2] });

    expect(await weftJson(dir, ['get', `notes/todos/${doc.id}`])).toEqual({
      id: doc.id,
      title: 'oat milk',
    });
    const human = await weft(['get', 'notes/todos/s1', '--data', dir]);
    expect(JSON.parse(human.stdout)).toEqual({ id: 's1', title: 'from stdin', n: [1, 2] });
  });

  test('find: every document, --where, --order (asc and -desc), --limit, --offset', async () => {
    const dir = await fixture();
    const all = await weft(['find', 'notes/todos', '--data', dir]);
    expect(all.code).toBe(0);
    const lines = all.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((d) => d.id)).toEqual(['t1', 't2', 't3']);

    const ids = async (...args: string[]) =>
      ((await weftJson(dir, ['find', 'notes/todos', ...args])) as { id: string }[]).map(
        (d) => d.id,
      );
    const [open, byPriority, desc, page, nested] = await Promise.all([
      ids('--where', '{"done":false}'),
      ids('--order', 'priority'),
      ids('--order', '-priority', '--limit', '2'),
      ids('--order', 'title', '--limit', '1', '--offset', '1'),
      ids(
        '--where',
        '{"$or":[{"priority":{"gte":3}},{"title":{"startsWith":"eg"}}]}',
        '--order=done,-priority',
      ),
    ]);
    expect(open).toEqual(['t1', 't3']);
    expect(byPriority).toEqual(['t2', 't1', 't3']);
    expect(desc).toEqual(['t3', 't1']);
    expect(page).toEqual(['t2']); // bread, eggs, milk → eggs
    expect(nested).toEqual(['t3', 't2']);

    const none = await weft([
      'find',
      'notes/todos',
      '--where',
      '{"title":"nothing"}',
      '--data',
      dir,
    ]);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect(await weftJson(dir, ['find', 'notes/empty'])).toEqual([]);
  });

  test('delete removes a document; get then says not found', async () => {
    const dir = await fixture();
    const human = await weft(['delete', 'notes/todos/t1', '--data', dir]);
    expect(human).toMatchObject({ code: 0, stdout: 'deleted notes/todos/t1\n' });
    expect(await weftJson(dir, ['delete', 'notes/todos/t2'])).toEqual({
      deleted: true,
      space: 'notes',
      collection: 'todos',
      id: 't2',
    });
    const gone = await weft(['get', 'notes/todos/t1', '--data', dir]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('weft: notes/todos/t1 does not exist\n');
    expect(await weftJson(dir, ['find', 'notes/todos'])).toEqual([
      { id: 't3', title: 'bread', done: false, priority: 3 },
    ]);
  });
});

describe.concurrent('status', () => {
  test('replica, data dir, file size, and per space collections, counts, changes, runs, bytes, heads', async () => {
    const dir = await fixture();
    await weft(['put', 'work/tasks', '{"id":"w1","title":"report"}', '--data', dir]);
    const status = (await weftJson(dir, ['status'])) as {
      replicaId: string;
      dataDir: string;
      file: string;
      fileBytes: number;
      spaces: {
        name: string;
        collections: { name: string; documents: number }[];
        documents: number;
        changes: number;
        runs: number;
        storage: { log: number; snapshot: number };
        heads: number;
      }[];
    };
    expect(status.dataDir).toBe(dir);
    expect(status.file).toBe(join(dir, 'weft.sqlite'));
    expect(status.fileBytes).toBeGreaterThanOrEqual(statSync(status.file).size);
    expect(status.fileBytes).toBeGreaterThan(0);
    expect(status.spaces.map((s) => s.name)).toEqual(['notes', 'work']);
    const [notes, work] = status.spaces;
    expect(notes).toMatchObject({
      collections: [{ name: 'todos', documents: 3 }],
      documents: 3,
      changes: 3,
      heads: 1,
    });
    expect(notes!.runs).toBeGreaterThanOrEqual(1);
    expect(notes!.storage.log + notes!.storage.snapshot).toBeGreaterThan(0);
    expect(work).toMatchObject({ collections: [{ name: 'tasks', documents: 1 }], changes: 1 });

    const human = await weft(['status', '--data', dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`replica  ${status.replicaId}`);
    expect(human.stdout).toMatch(
      /space notes: 3 documents, 3 changes in \d+ runs?, .* stored .*, 1 head/,
    );
    expect(human.stdout).toMatch(/ {2}todos {2}3 documents/);
  });
});
