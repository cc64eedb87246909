import type { StorageAdapter } from '../storage/adapter.js';
import { keys } from './storage-keys.js';

/**
 * Bytes a space occupies in storage. The log is append-only under ordinal keys, so each
 * measurement reads only the entries written since the last one, and the snapshot is read
 * again only after a new one was written (an inspector polls this every second; reading a
 * large log and snapshot each time would not do).
 */
export class StorageSize {
  private counted = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  /** The `snapshotsWritten` count when the snapshot was last read; -1: never read. */
  private snapshotSeen = -1;

  constructor(
    private readonly storage: StorageAdapter,
    private readonly space: string,
    /** How many snapshots this process has written to the space (see Persister). */
    private readonly snapshotsWritten: () => number,
  ) {}

  async measure(): Promise<{ log: number; snapshot: number }> {
    const from = this.counted;
    const entries = await this.storage.range(keys.log(this.space), keys.logEntry(this.space, from));
    // Another call measured meanwhile: its count already covers these entries.
    if (this.counted === from) {
      for (const e of entries) this.logBytes += e.data.length;
      this.counted = from + entries.length;
    }
    const written = this.snapshotsWritten();
    if (written !== this.snapshotSeen) {
      const snapshot = await this.storage.get(keys.snapshot(this.space));
      this.snapshotBytes = snapshot?.length ?? 0;
      this.snapshotSeen = written;
    }
    return { log: this.logBytes, snapshot: this.snapshotBytes };
  }
}
