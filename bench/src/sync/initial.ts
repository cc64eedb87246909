// Initial sync: a real server (startServer, in its own process, on SQLite) holding N documents;
// a new, empty client connects over WebSocket and syncs the space.
import { join } from 'node:path';
import { type Database, openDatabase, SyncSession, type VersionVector, vvEquals } from '@weft/core';
import { connectWebSocket } from '@weft/server';
import { openSqliteDatabase } from '@weft/sqlite';
import { makeIds, makeTasks, type Task } from '../db/data.js';
import { dirSize, removeDir, tempDir } from '../lib/fs.js';
import { now } from '../lib/stats.js';
import { Child } from './child.js';
import { COLLECTION, insertTasks, SPACE, within } from './common.js';
import { CountingTransport, describeKinds, tallyKinds } from './wire.js';

export type ClientStorage = 'memory' | 'sqlite';

export interface InitialSyncRun {
  readonly storage: ClientStorage;
  /** Connect (WebSocket open) -> the client's version vector equals the server's. */
  readonly syncMs: number;
  /** Connect -> every change also durable in the client's storage. */
  readonly durableMs: number;
  /** Of which: opening the WebSocket. */
  readonly connectMs: number;
  readonly bytesReceived: number;
  readonly messagesReceived: number;
  readonly bytesSent: number;
  readonly messagesSent: number;
  /** What the server sent, by message kind. */
  readonly received: string;
}

/** A server process with a space of `docs` documents (built here, on SQLite). */
export class InitialSyncServer {
  private constructor(
    private readonly child: Child,
    private readonly dir: string,
    readonly url: string,
    readonly vector: VersionVector,
    readonly docs: number,
    readonly buildMs: number,
    readonly dataBytes: number,
  ) {}

  static async start(
    root: string,
    docs: number,
    execArgv: readonly string[] = [],
  ): Promise<InitialSyncServer> {
    const dir = tempDir(root, 'sync-initial-server');
    try {
      const t0 = now();
      const db = await openSqliteDatabase({ dataDir: dir });
      const space = await db.space(SPACE);
      await insertTasks(space.collection<Task>(COLLECTION), makeIds(docs), makeTasks(docs, 11));
      const vector = space.versionVector();
      await db.close();
      const buildMs = now() - t0;
      const child = Child.start('server-child.js', ['weft', dir], execArgv);
      const { url } = (await child.next('ready', 120_000)) as unknown as { url: string };
      return new InitialSyncServer(child, dir, url, vector, docs, buildMs, dirSize(dir));
    } catch (error) {
      removeDir(dir);
      throw error;
    }
  }

  /** One empty client syncing the whole space. */
  async syncOnce(root: string, storage: ClientStorage): Promise<InitialSyncRun> {
    const clientDir = storage === 'sqlite' ? tempDir(root, 'sync-initial-client') : undefined;
    let db: Database | undefined;
    try {
      db = clientDir
        ? await openSqliteDatabase({ dataDir: join(clientDir, 'db') })
        : await openDatabase();
      const space = await db.space(SPACE);
      const synced = new Promise<number>((resolve) => {
        const unsubscribe = space.onChange(() => {
          if (!vvEquals(space.versionVector(), this.vector)) return;
          unsubscribe();
          resolve(now());
        });
      });
      const t0 = now();
      const transport = new CountingTransport(await connectWebSocket(this.url), true);
      const connectMs = now() - t0;
      const session = new SyncSession(space, transport, db.replicaId);
      session.start();
      const syncedAt = await within(synced, 600_000, `the initial sync of ${this.docs} docs`);
      await space.flush();
      const durableAt = now();
      await session.idle();
      session.close('done');
      if (space.collection(COLLECTION).count() !== this.docs)
        throw new Error(`the client has ${space.collection(COLLECTION).count()} docs`);
      return {
        storage,
        syncMs: syncedAt - t0,
        durableMs: durableAt - t0,
        connectMs,
        bytesReceived: transport.bytesIn,
        messagesReceived: transport.messagesIn,
        bytesSent: transport.bytesOut,
        messagesSent: transport.messagesOut,
        received: describeKinds(tallyKinds(transport.framesIn)).join(', '),
      };
    } finally {
      await db?.close();
      if (clientDir) removeDir(clientDir);
    }
  }

  async stop(): Promise<void> {
    await this.child.stop();
    removeDir(this.dir);
  }
}
