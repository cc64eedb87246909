// @weft/indexeddb: Weft storage on IndexedDB, for browsers (and workers). No Node-only API.

export { IndexedDbError, type IndexedDbErrorCode } from './errors.js';
export { IndexedDbStorage, type IndexedDbStorageOptions } from './indexeddb-storage.js';
export { type IndexedDbDatabaseOptions, indexedDbName, openIndexedDbDatabase } from './open.js';
