import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Space } from '@weft/core';
import { DATABASE_FILE, openSqliteDatabase } from '@weft/sqlite';
import { CliError } from './errors.js';

/** The database file in a data directory. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/**
 * Opens the database in `dataDir`, runs `fn`, and closes it (waiting for every write to be
 * durable) whether `fn` succeeds or fails. With `create: false` a missing database is an error
 * instead of a new empty file: reading commands never create one.
 */
export async function withDatabase<R>(
  dataDir: string,
  options: { create: boolean },
  fn: (db: Database) => Promise<R>,
): Promise<R> {
  if (!options.create && !existsSync(databaseFile(dataDir))) {
    throw new CliError(
      'no-database',
      `no Weft database in ${dataDir}; run \`weft init\` first, or point --data (or WEFT_DATA_DIR) at the right directory`,
    );
  }
  const db = await openSqliteDatabase({ dataDir });
  let result: R;
  try {
    result = await fn(db);
  } catch (error) {
    await db.close().catch(() => {}); // the first error is the one to report
    throw error;
  }
  await db.close();
  return result;
}

/** Opens a space only if it exists: reading never creates one. */
export async function existingSpace(db: Database, name: string): Promise<Space | undefined> {
  return (await db.spaceNames()).includes(name) ? db.space(name) : undefined;
}

/** Opens a space that must exist. */
export async function requireSpace(db: Database, name: string): Promise<Space> {
  const space = await existingSpace(db, name);
  if (!space) {
    throw new CliError(
      'not-found',
      `space "${name}" does not exist; \`weft status\` lists the spaces`,
    );
  }
  return space;
}
