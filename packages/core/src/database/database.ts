import { decodeValue, encodeValue } from '../encoding/value.js';
import { ClosedError } from '../errors.js';
import { randomActorId } from '../kernel/actor.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { PersistOptions } from './persister.js';
import { Space } from './space.js';
import { keys } from './storage-keys.js';

export interface DatabaseOptions {
  /** Where data lives. Default: memory (gone with the process); on Node use @weft/sqlite. */
  storage?: StorageAdapter;
  /** This replica's actor id. Default: the one stored, or a new random one saved on first open. */
  actor?: string;
  /** The wall clock (milliseconds); tests inject one. */
  now?: () => number;
  persist?: PersistOptions;
  /**
   * For a replica whose storage is not where its writes become durable (a browser tab whose
   * hub tab stores them, @weft/browser): a write's promise also waits for
   * `confirmWrites(space, seq)`, with the seq of the write's change in this replica's actor.
   * The space's own storage (and so `flush` and what sync sessions send) does not wait for it.
   */
  confirmWrites?: (space: string, seq: number) => Promise<void>;
}

/**
 * A replica: one storage, one actor id, any number of spaces. `db.space(name)` opens (or
 * creates) a space; spaces are independent units of replication.
 */
export class Database {
  private readonly spaces = new Map<string, Promise<Space>>();
  private closed = false;

  private constructor(
    readonly storage: StorageAdapter,
    readonly replicaId: string,
    private readonly options: DatabaseOptions,
  ) {}

  static async open(options: DatabaseOptions = {}): Promise<Database> {
    const storage = options.storage ?? new MemoryStorage();
    const saved = await storage.get(keys.replica);
    let replicaId: string;
    if (saved) {
      const meta = decodeValue(saved) as { id?: unknown };
      if (typeof meta?.id !== 'string')
        throw new Error('the stored replica id is unreadable; is this a Weft database?');
      replicaId = meta.id;
      if (options.actor && options.actor !== replicaId) {
        throw new Error(`this database belongs to replica ${replicaId}, not ${options.actor}`);
      }
    } else {
      replicaId = options.actor ?? randomActorId();
      await storage.batch([
        { op: 'put', key: keys.replica, data: encodeValue({ id: replicaId, version: 1 }) },
      ]);
    }
    return new Database(storage, replicaId, options);
  }

  /** Opens a space, creating it on first use. */
  space(name: string): Promise<Space> {
    if (this.closed) return Promise.reject(new ClosedError('the database is closed'));
    if (typeof name !== 'string' || name.length === 0 || name.includes('\u0000')) {
      return Promise.reject(new TypeError('a space name is a non-empty string'));
    }
    let space = this.spaces.get(name);
    if (!space) {
      space = this.openSpace(name);
      this.spaces.set(name, space);
      space.catch(() => this.spaces.delete(name));
    }
    return space;
  }

  private async openSpace(name: string): Promise<Space> {
    if (!(await this.storage.get(keys.spaceInfo(name)))) {
      const info = encodeValue({ name, created: (this.options.now ?? Date.now)() });
      await this.storage.batch([{ op: 'put', key: keys.spaceInfo(name), data: info }]);
    }
    return Space.open(name, {
      storage: this.storage,
      actor: this.replicaId,
      ...(this.options.now ? { now: this.options.now } : {}),
      ...(this.options.persist ? { persist: this.options.persist } : {}),
      ...(this.options.confirmWrites ? { confirmWrites: this.options.confirmWrites } : {}),
    });
  }

  /** Whether a space exists (without creating it, unlike `space`). */
  async hasSpace(name: string): Promise<boolean> {
    return (await this.storage.get(keys.spaceInfo(name))) !== undefined;
  }

  /** Names of every space in this database. */
  async spaceNames(): Promise<string[]> {
    const entries = await this.storage.range(keys.spaceInfos);
    return entries.map((e) => e.key[1]!).sort();
  }

  /** Waits for pending writes, then closes every space and the storage. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const open = await Promise.allSettled(this.spaces.values());
    for (const s of open) if (s.status === 'fulfilled') await s.value.close();
    await this.storage.close();
  }
}

export function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return Database.open(options);
}
