import type { StorageAdapter, StorageEntry, StorageKey, StorageOp } from '../storage/adapter.js';
import { MemoryStorage } from '../storage/memory-storage.js';

interface PendingBatch {
  readonly ops: readonly StorageOp[];
  readonly mount: DiskMount;
  readonly done: () => void;
  readonly failed: (error: unknown) => void;
}

/**
 * A simulated replica's disk: a MemoryStorage that outlives the replica's processes. Each
 * process (an open Database) gets its own `mount`; crashing kills the mount, so a batch the
 * dead process issues later never lands (and never resolves), exactly as if the process had
 * died before making the call. `close` (a graceful shutdown) unmounts without touching the
 * disk, so the next process opens the same data.
 *
 * A disk is fast (a batch lands, atomically, when it is issued) or slow (batches wait, in
 * order, until the simulator `sync`s the disk, as an fsync takes time; a crash loses the
 * batches still waiting, each whole). Reads see only batches that landed.
 */
export class SimDisk {
  readonly storage = new MemoryStorage();
  private readonly waiting: PendingBatch[] = [];
  slow = false;

  mount(): DiskMount {
    return new DiskMount(this);
  }

  /** Batches issued and not landed yet. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Lands up to `n` waiting batches, oldest first. */
  sync(n = Number.POSITIVE_INFINITY): void {
    for (let i = 0; i < n && this.waiting.length > 0; i++) this.land(this.waiting.shift()!);
  }

  /** @internal */
  write(mount: DiskMount, ops: readonly StorageOp[]): Promise<void> {
    if (!this.slow && this.waiting.length === 0) return this.storage.batch(ops);
    return new Promise<void>((done, failed) => {
      this.waiting.push({ ops, mount, done, failed });
    });
  }

  /** @internal A process died: its batches still waiting never land. */
  drop(mount: DiskMount): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (this.waiting[i]!.mount === mount) this.waiting.splice(i, 1);
    }
  }

  private land(batch: PendingBatch): void {
    this.storage.batch(batch.ops).then(batch.done, batch.failed);
  }
}

/** A promise that never settles: a fresh one each time, so what waits on it can be collected. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

export class DiskMount implements StorageAdapter {
  private dead = false;

  constructor(private readonly disk: SimDisk) {}

  /** The process died: nothing it asks for happens any more, and nothing it awaits resolves. */
  kill(): void {
    this.dead = true;
    this.disk.drop(this);
  }

  get(key: StorageKey): Promise<Uint8Array | undefined> {
    return this.dead ? never() : this.disk.storage.get(key);
  }

  range(prefix: StorageKey, from?: StorageKey, before?: StorageKey): Promise<StorageEntry[]> {
    return this.dead ? never() : this.disk.storage.range(prefix, from, before);
  }

  batch(ops: readonly StorageOp[]): Promise<void> {
    return this.dead ? never() : this.disk.write(this, ops);
  }

  async close(): Promise<void> {
    this.dead = true;
  }
}
