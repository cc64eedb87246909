// End to end with real processes (issue 4, section 6): a real `weft serve` (the CLI's bin) and
// three real client processes (fixtures/e2e-client.mjs, each with its own SQLite data
// directory, synced by `syncSpace`) on loopback edit one collection concurrently. Then, while
// they keep writing:
//   - client C's link is cut: C talks to the server through a TCP proxy in this process, which
//     stops moving bytes both ways (and holds new connections) as a partition would; C has to
//     notice the dead link by its heartbeats. It keeps writing locally. On restore, the proxy
//     resets the connections cut (as a router that lost their state would) and lets the held
//     ones through.
//   - the server is killed with SIGKILL, and restarted on the same port and data directory.
// Every ack the clients received from the killed server is checked against a copy of its data
// directory taken before the restart: the changes acked, and what the documents must be given
// what it holds (clients re-send what the server lacks, so a lost acked write would be healed
// later and must be caught here). At the end, after more writes with everyone online, the
// three clients and the server (stopped with SIGTERM, exit 0, then opened here) must hold
// equal documents, heads and version vectors, and the documents must be what the clients'
// logs of their writes say: every write of every client is there.
//
// Seeded by WEFT_SEED (the clients' writes and the moments of the cut, the kill and the
// restore; the OS decides the rest). A failure prints the seed, a timeline of the run and the
// processes' stderr; WEFT_E2E_TIMELINE=1 prints the timeline of a run that passes too.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { openSqliteDatabase } from '@weft/sqlite';
import { afterAll, afterEach, expect, test } from 'vitest';

const FILE = 'packages/server/test/e2e-processes.test.ts';
const TEST_NAME = 'three client processes and a weft serve process';
/** What npm links as `weft`: the checked-in launcher that loads the built CLI. */
const WEFT = fileURLToPath(new URL('../../cli/bin/weft.js', import.meta.url));
const CLIENT = fileURLToPath(new URL('./fixtures/e2e-client.mjs', import.meta.url));
const SEED = process.env.WEFT_SEED
  ? Number(process.env.WEFT_SEED)
  : Math.floor(Math.random() * 2 ** 31);
const SHARED = ['s0', 's1', 's2', 's3'];

/** The children make no TLS connections: extra CA certificates would only slow their start. */
const CHILD_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'),
);

const children = new Set<ChildProcess>();
const proxies = new Set<LinkProxy>();
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const proxy of proxies) await proxy.close();
  proxies.clear();
});
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small seeded PRNG (mulberry32), as packages/core/test/helpers/prng.ts. */
function prng(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

// ---- the server process ------------------------------------------------------------------

interface ServeProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  stderr: () => string;
}

/** Starts `weft serve --json` and resolves once it prints where it listens. */
function serve(dataDir: string, port: number, label: string): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [WEFT, 'serve', '--port', String(port), '--json', '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: CHILD_ENV },
  );
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      try {
        const printed = JSON.parse(stdout) as { url: string; port: number };
        resolve({ child, port: printed.port, url: printed.url, stderr: () => stderr });
      } catch {
        // not all of it yet
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`${label} exited (${code ?? signal}) before listening: ${stderr}`)),
    );
  });
}

/**
 * Starts the first server on a free port below Linux's ephemeral range (32768-60999): the
 * restarted one needs the same port, which an outgoing connection could take meanwhile if it
 * were one of those.
 */
async function serveOnFreePort(dataDir: string): Promise<ServeProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      return await serve(dataDir, port, 'server 1');
    } catch (error) {
      if (attempt === 5) throw error; // not a taken port, then
    }
  }
}

async function stop(server: ServeProcess): Promise<number | null> {
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

// ---- the client processes ------------------------------------------------------------------

interface LogEntry {
  readonly seq: number;
  readonly op: 'create' | 'insert' | 'update' | 'delete' | 'count' | 'tag' | 'title';
  readonly id?: string;
  readonly ids?: readonly string[];
  readonly doc?: Record<string, unknown>;
  readonly patch?: Record<string, unknown>;
  readonly by?: number;
  readonly tag?: string;
  readonly title?: string;
  readonly value?: number;
}

type Doc = Record<string, unknown> & { id: string };

interface Report {
  readonly actor: string;
  readonly status: string;
  /** Its newest change that an ack from the server covered. */
  readonly acked: number;
  /** Its newest change. */
  readonly seq: number;
  readonly docs: Doc[];
  readonly heads: string[];
  readonly vector: Record<string, number>;
  readonly log: LogEntry[];
}

interface StatusEvent {
  readonly status: string;
  readonly detail: string | null;
  readonly at: number;
}

class ClientProcess {
  readonly statuses: StatusEvent[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private stderrText = '';
  private exitedWith: string | undefined;
  private readonly ready: Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    children.add(child);
    let buffer = '';
    let ready!: () => void;
    let failed!: (error: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(line) as Record<string, unknown>;
        } catch {
          this.stderrText += `\n[stdout] ${line}`;
          continue;
        }
        this.line(message, ready);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      this.stderrText += s;
    });
    child.once('exit', (code, signal) => {
      this.exitedWith = String(code ?? signal);
      const error = new Error(`client ${name} exited (${this.exitedWith}): ${this.stderrText}`);
      failed(error);
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    });
  }

  static async start(name: string, dataDir: string, url: string, seed: number) {
    const child = spawn(process.execPath, [CLIENT, dataDir, name, url, String(seed)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: CHILD_ENV,
    });
    const client = new ClientProcess(name, child);
    await client.ready;
    return client;
  }

  get status(): string {
    return this.statuses.at(-1)?.status ?? 'connecting';
  }

  get stderr(): string {
    return this.stderrText;
  }

  private line(message: Record<string, unknown>, ready: () => void): void {
    if (message.event === 'ready') {
      ready();
      return;
    }
    if (message.event === 'status') {
      const { status, detail } = message as { status: string; detail: string | null };
      this.statuses.push({ status, detail, at: Date.now() });
      return;
    }
    if (message.event === 'error') {
      this.stderrText += `\n[event] ${String(message.message)}`;
      return;
    }
    const waiter = this.waiting.get(message.id as number);
    if (!waiter) return;
    this.waiting.delete(message.id as number);
    if (typeof message.error === 'string') {
      waiter.reject(new Error(`client ${this.name}: ${message.error}`));
    } else waiter.resolve(message);
  }

  call(cmd: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (this.exitedWith !== undefined)
      return Promise.reject(new Error(`client ${this.name} has exited (${this.exitedWith})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  async report(): Promise<Report> {
    return (await this.call('report')) as unknown as Report;
  }

  async until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        const seen = this.statuses.map((s) => `${s.status}${s.detail ? ` (${s.detail})` : ''}`);
        throw new Error(`client ${this.name}: timed out waiting for ${what}; statuses: ${seen}`);
      }
      await sleep(10);
    }
  }
}

// ---- the link that is cut -------------------------------------------------------------------

/**
 * A TCP proxy between one client and the server. `cut()` stops moving bytes both ways (they
 * wait in the sockets' buffers, as in a partition) and holds new connections unanswered;
 * `restore()` resets the connections that were cut (as a router that lost their state would)
 * and lets the held ones through. While the link is up, a side closing closes the other.
 */
class LinkProxy {
  private readonly server: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private readonly held = new Set<Socket>();
  private isCut = false;
  /** Connections made through it, and how many of them were held by a cut. */
  connections = 0;
  heldConnections = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.isCut = true;
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  restore(): void {
    this.isCut = false;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    for (const client of this.held) if (!client.destroyed) this.forward(client);
    this.held.clear();
  }

  async close(): Promise<void> {
    this.isCut = true; // nothing is forwarded any more
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    for (const client of this.held) client.destroy();
    this.pairs.clear();
    this.held.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.connections += 1;
    client.on('error', () => {});
    if (this.isCut) {
      this.heldConnections += 1;
      client.pause();
      this.held.add(client);
      return;
    }
    this.forward(client);
  }

  private forward(client: Socket): void {
    const upstream = createConnection(this.targetPort, '127.0.0.1');
    upstream.on('error', () => {});
    const pair = { client, upstream };
    this.pairs.add(pair);
    client.on('data', (data) => upstream.write(data));
    upstream.on('data', (data) => client.write(data));
    const closed = () => {
      if (this.isCut) return; // a partition carries no close either: reset on restore
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', closed);
    upstream.on('close', closed);
    client.resume();
  }
}

// ---- what the documents must be ----------------------------------------------------------

/**
 * Checks `docs` against the clients' logs: the state that holds exactly the changes `vector`
 * covers. Private documents are written by their owner only, so each must be its owner's
 * writes replayed; a shared one's counter must be the sum of the increments, its set the
 * union of the adds, each `by_<actor>` its actor's last write and its `title` one written.
 */
function assertState(
  what: string,
  docs: readonly Doc[],
  vector: Readonly<Record<string, number>>,
  clientLogs: ReadonlyMap<string, readonly LogEntry[]>,
): void {
  const expected = new Map<string, Doc>();
  const titles = new Map<string, Set<unknown>>();
  const covered = [...clientLogs].flatMap(([actor, log]) =>
    log.filter((e) => e.seq <= (vector[actor] ?? 0)).map((e) => ({ actor, ...e })),
  );
  for (const actor of clientLogs.keys()) {
    for (const e of covered.filter((c) => c.actor === actor)) {
      const id = e.id!;
      switch (e.op) {
        case 'create':
          for (const s of e.ids!) {
            expected.set(s, { id: s, title: '', votes: 0, tags: [] });
            titles.set(s, new Set(['']));
          }
          break;
        case 'insert':
          expected.set(id, { id, ...structuredClone(e.doc!) });
          break;
        case 'update':
          expected.set(id, { ...expected.get(id)!, ...structuredClone(e.patch!) });
          break;
        case 'delete':
          expected.delete(id);
          break;
      }
    }
  }
  for (const e of covered) {
    const doc = expected.get(e.id ?? '');
    if (!doc) continue;
    if (e.op === 'count') doc.votes = (doc.votes as number) + e.by!;
    if (e.op === 'tag') doc.tags = [...(doc.tags as string[]), e.tag!].sort();
    if (e.op === 'title') titles.get(e.id!)?.add(e.title);
  }
  for (const actor of clientLogs.keys()) {
    for (const e of covered.filter((c) => c.actor === actor && c.op === 'title')) {
      const doc = expected.get(e.id!);
      if (doc) doc[`by_${actor}`] = e.value;
    }
  }

  const problems: string[] = [];
  const actual = new Map(docs.map((d) => [d.id, d]));
  for (const id of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(id);
    const got = actual.get(id);
    if (!want || !got) {
      problems.push(`${id} ${want ? 'is missing' : `should not be there: ${sorted(got!)}`}`);
      continue;
    }
    const candidates = titles.get(id);
    const normalized = {
      ...got,
      ...(Array.isArray(got.tags) ? { tags: [...got.tags].sort() } : {}),
      ...(candidates ? { title: want.title } : {}),
    };
    if (candidates && !candidates.has(got.title))
      problems.push(`${id}.title ${JSON.stringify(got.title)} was never written`);
    if (!isDeepStrictEqual(normalized, want)) {
      const shown = candidates ? { ...want, title: '(any written)' } : want;
      problems.push(`${id} is ${sorted(got)},\n  expected ${sorted(shown)}`);
    }
  }
  if (problems.length > 0)
    throw new Error(`${what}: ${problems.length} documents wrong:\n${problems.join('\n')}`);
}

/** JSON with sorted keys, for messages. */
function sorted(doc: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(doc).sort(([x], [y]) => (x < y ? -1 : 1))),
  );
}

/** What a server data directory holds (opened here: the server must be stopped). */
async function readServerDir(dataDir: string): Promise<{
  docs: Doc[];
  heads: string[];
  vector: Record<string, number>;
}> {
  const db = await openSqliteDatabase({ dataDir });
  try {
    const space = await db.space('e2e');
    const docs = (space.collection('items').find() as Doc[]).sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    return {
      docs,
      heads: space.heads(),
      vector: Object.fromEntries([...space.versionVector()].sort()),
    };
  } finally {
    await db.close();
  }
}

/** Why reports differ, or '' when they are equal and complete (every write everywhere). */
function divergence(reports: readonly Report[]): string {
  const full = Object.fromEntries(reports.map((r) => [r.actor, r.seq]).sort());
  const out: string[] = [];
  for (const r of reports) {
    if (!isDeepStrictEqual(r.vector, full))
      out.push(`${r.actor} has vector ${JSON.stringify(r.vector)}, not ${JSON.stringify(full)}`);
  }
  const [first, ...rest] = reports;
  for (const r of rest) {
    if (!isDeepStrictEqual(r.heads, first!.heads))
      out.push(`heads of ${r.actor} ${r.heads} != of ${first!.actor} ${first!.heads}`);
    if (!isDeepStrictEqual(r.docs, first!.docs)) {
      const theirs = new Map(r.docs.map((d) => [d.id, d]));
      const mine = new Map(first!.docs.map((d) => [d.id, d]));
      for (const id of new Set([...theirs.keys(), ...mine.keys()])) {
        if (!isDeepStrictEqual(theirs.get(id), mine.get(id))) {
          out.push(
            `${id}: ${r.actor} ${JSON.stringify(theirs.get(id))} != ${first!.actor} ${JSON.stringify(mine.get(id))}`,
          );
          break;
        }
      }
    }
  }
  return out.join('\n');
}

// ---- the run ---------------------------------------------------------------------------------

test(TEST_NAME, { timeout: 60_000 }, async () => {
  const started = Date.now();
  const clients: ClientProcess[] = [];
  const servers: ServeProcess[] = [];
  const timeline: string[] = [];
  const mark = (what: string) => timeline.push(`${Date.now() - started} ms: ${what}`);
  try {
    await run(prng(SEED), clients, servers, mark);
    if (process.env.WEFT_E2E_TIMELINE) console.log(`seed ${SEED}\n${timeline.join('\n')}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const stderr = [
      ...servers.map((s, i) => `--- server ${i + 1} stderr:\n${s.stderr()}`),
      ...clients.map((c) => `--- client ${c.name} stderr:\n${c.stderr}`),
    ].join('\n');
    throw new Error(
      `${message}\n  seed: ${SEED}\n  rerun: WEFT_SEED=${SEED} npx vitest run ${FILE}\n` +
        `  timeline:\n    ${timeline.join('\n    ')}\n${stderr}`,
      { cause: error },
    );
  }
});

async function run(
  random: (n: number) => number,
  clients: ClientProcess[],
  servers: ServeProcess[],
  mark: (what: string) => void,
): Promise<void> {
  const serverDir = tempDir('weft-e2e-server-');
  const first = await serveOnFreePort(serverDir);
  servers.push(first);
  const port = first.port;
  const proxy = new LinkProxy(port);
  proxies.add(proxy);
  const proxyPort = await proxy.listen();
  mark(`server 1 on ${first.url}; C through the proxy on ${proxyPort}`);

  const names = ['A', 'B', 'C'] as const;
  clients.push(
    ...(await Promise.all(
      names.map((name, i) =>
        ClientProcess.start(
          name,
          tempDir(`weft-e2e-${name}-`),
          name === 'C' ? `ws://127.0.0.1:${proxyPort}` : first.url,
          SEED + i + 1,
        ),
      ),
    )),
  );
  const [a, b, c] = clients as [ClientProcess, ClientProcess, ClientProcess];
  await Promise.all(clients.map((x) => x.until('online', () => x.status === 'online')));
  mark('clients online');

  // The shared documents, created by A, everywhere before anyone edits them.
  await a.call('create', { ids: SHARED });
  for (const x of [b, c]) {
    const deadline = Date.now() + 10_000;
    while ((await x.report()).docs.length < SHARED.length) {
      if (Date.now() > deadline) throw new Error(`${x.name} never got the shared documents`);
      await sleep(20);
    }
    await x.call('share', { ids: SHARED });
  }
  mark('shared documents everywhere');

  // Everyone writes, concurrently, through the cut, the kill and the restart.
  await Promise.all(clients.map((x) => x.call('start', { gapMs: 12 })));
  mark('writing');

  await sleep(200 + random(300));
  proxy.cut();
  const cutAt = Date.now();
  const atCut = await c.report();
  mark(`cut C's link (C at seq ${atCut.seq})`);
  await c.until('C to notice the dead link', () =>
    c.statuses.some((s) => s.at >= cutAt && s.status === 'offline'),
  );
  const noticed = c.statuses.find((s) => s.at >= cutAt && s.status === 'offline');
  mark(`C noticed the dead link: ${noticed?.detail}`);

  await sleep(100 + random(400));
  first.child.kill('SIGKILL');
  await once(first.child, 'exit');
  const killedAt = Date.now();
  mark('SIGKILLed server 1');
  // Once A and B have seen their connection close, no ack of the dead server can reach them
  // (C's link is cut: its old connection is reset on restore, unread).
  await Promise.all(
    [a, b].map((x) =>
      x.until('the dead server to be noticed', () =>
        x.statuses.some((s) => s.at >= killedAt && s.status === 'offline'),
      ),
    ),
  );
  const atKill = await Promise.all(clients.map((x) => x.report()));
  mark(`acked by server 1: ${atKill.map((r) => `${r.actor} ${r.acked}/${r.seq}`).join(', ')}`);
  const killedCopy = tempDir('weft-e2e-killed-');
  cpSync(serverDir, killedCopy, { recursive: true });

  const second = await serve(serverDir, port, 'server 2');
  servers.push(second);
  mark('server 2 started on the same port and data directory');

  // What server 1 left: every change it acked, and the documents those changes make.
  const left = await readServerDir(killedCopy);
  mark(`server 1 kept ${JSON.stringify(left.vector)}`);
  for (const r of atKill) {
    const kept = left.vector[r.actor] ?? 0;
    if (kept < r.acked)
      throw new Error(`server 1 acked ${r.actor}'s changes up to ${r.acked}, but kept ${kept}`);
  }
  if (atKill[0]!.acked === 0 || atKill[1]!.acked === 0)
    throw new Error('server 1 acked nothing of A or B before it was killed');
  const leftLogs = new Map(atKill.map((r) => [r.actor, r.log]));
  assertState('server 1 after SIGKILL', left.docs, left.vector, leftLogs);

  await Promise.all(
    [a, b].map((x) =>
      x.until('reconnection to server 2', () =>
        x.statuses.some((s) => s.at >= killedAt && s.status === 'online'),
      ),
    ),
  );
  mark('A and B online again');
  await sleep(100 + random(300));
  const atRestore = await c.report();
  if (atRestore.seq <= atCut.seq) throw new Error('C wrote nothing while its link was cut');
  const restoredAt = Date.now();
  proxy.restore();
  mark(`restored C's link (C at seq ${atRestore.seq})`);
  await c.until('C online again', () =>
    c.statuses.some((s) => s.at >= restoredAt && s.status === 'online'),
  );
  mark('C online again');
  // C tried to reconnect while cut off (the proxy held those attempts).
  expect(proxy.heldConnections).toBeGreaterThan(0);

  // Some more, with everyone online: live relaying after all that.
  await sleep(300 + random(300));
  const stopped = await Promise.all(clients.map((x) => x.call('stop')));
  mark(`stopped writing at seqs ${stopped.map((r) => r.seq).join(', ')}`);

  let reports = await Promise.all(clients.map((x) => x.report()));
  const deadline = Date.now() + 15_000;
  while (divergence(reports) !== '') {
    if (Date.now() > deadline)
      throw new Error(`the replicas did not converge:\n${divergence(reports)}`);
    await sleep(50);
    reports = await Promise.all(clients.map((x) => x.report()));
  }
  const flaps = clients.map(
    (x) => `${x.name} ${x.statuses.filter((s) => s.status === 'offline').length}`,
  );
  mark(`converged (times offline: ${flaps.join(', ')})`);

  const finalLogs = new Map(reports.map((r) => [r.actor, r.log]));
  const final = reports[0]!;
  assertState('the clients', final.docs, final.vector, finalLogs);

  expect(await stop(second), 'weft serve exits 0 on SIGTERM').toBe(0);
  mark('server 2 stopped');
  const kept = await readServerDir(serverDir);
  expect(kept.vector).toEqual(final.vector);
  expect(kept.heads).toEqual(final.heads);
  expect(kept.docs).toEqual(final.docs);

  for (const x of clients) await x.call('close');
  mark('clients closed');
}
