import { ordinalKey, type StorageKey } from '../storage/adapter.js';

/** Where a database keeps things in its storage adapter. */
export const keys = {
  replica: ['replica'] as StorageKey,
  spaceInfo: (space: string): StorageKey => ['space-info', space],
  spaceInfos: ['space-info'] as StorageKey,
  /** The space's runs, one per key, in causal order: `log/<ordinal>`. */
  log: (space: string): StorageKey => ['spaces', space, 'log'],
  logEntry: (space: string, ordinal: number): StorageKey => [
    'spaces',
    space,
    'log',
    ordinalKey(ordinal),
  ],
  snapshot: (space: string): StorageKey => ['spaces', space, 'snapshot'],
};
