// A page that runs the storage acceptance suite on the browser's IndexedDB, and writes and
// reads a database across reloads.
import { expose, exposeTests } from '@weft/browser-test/page';
import { IndexedDbError, IndexedDbStorage, openIndexedDbDatabase } from '@weft/indexeddb';
import { registerAcceptance } from './acceptance-suite.js';

exposeTests((t) => registerAcceptance(t));

expose({
  /** Opens the database `name`, inserts `titles`, and returns its replica id. */
  async write(name: string, titles: string[]) {
    const db = await openIndexedDbDatabase({ name });
    const notes = (await db.space('notes')).collection('notes');
    for (const title of titles) await notes.insert({ id: title, title });
    await db.close();
    return db.replicaId;
  },
  /** Opens the database `name` and returns its replica id and the notes' titles. */
  async read(name: string) {
    const db = await openIndexedDbDatabase({ name });
    const titles = (await db.space('notes'))
      .collection<{ title: string }>('notes')
      .find({ orderBy: 'title' })
      .map((d) => d.title);
    await db.close();
    return { replica: db.replicaId, titles };
  },
  /** Writes raw bytes under a key with the adapter (no database), for the reload test. */
  async rawPut(name: string, key: string[], bytes: number[]) {
    const s = await IndexedDbStorage.open(name);
    await s.batch([{ op: 'put', key, data: new Uint8Array(bytes) }]);
    await s.close();
  },
  async rawGet(name: string, key: string[]) {
    const s = await IndexedDbStorage.open(name);
    const got = await s.get(key);
    await s.close();
    return got ? [...got] : null;
  },
  /** Opens `name` after creating it at a newer version than the adapter's: the error. */
  async newerVersion(name: string) {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name, 7);
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    try {
      await IndexedDbStorage.open(name);
      return null;
    } catch (error) {
      const e = error as IndexedDbError;
      return { isTyped: e instanceof IndexedDbError, code: e.code, message: e.message };
    }
  },
});
