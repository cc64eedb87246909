import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from './open.js';

/**
 * Bytes the database of a data directory takes on disk: the SQLite file and its write-ahead
 * log (which holds recent commits until a checkpoint folds them into the file). 0 if missing.
 */
export function databaseFileBytes(dataDir: string): number {
  const file = join(dataDir, DATABASE_FILE);
  return sizeOf(file) + sizeOf(`${file}-wal`);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
