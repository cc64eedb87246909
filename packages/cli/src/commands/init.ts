import { existsSync } from 'node:fs';
import type { Command } from '../command.js';
import { databaseFile, withDatabase } from '../db.js';

export const init: Command = {
  name: 'init',
  args: [],
  summary: 'create (or open) the database and print its replica id',
  description:
    'Creates the data directory and the database file (<dir>/weft.sqlite) if they do not exist,\n' +
    'and prints the replica id of this database and where it lives. Safe to run again.',
  examples: ['weft init', 'weft init --data ./data'],
  async run({ dataDir, out }) {
    const file = databaseFile(dataDir);
    const created = !existsSync(file);
    const replicaId = await withDatabase(dataDir, { create: true }, async (db) => db.replicaId);
    out.result({ replicaId, dataDir, file, created }, () => [
      `${created ? 'created' : 'opened'} ${file}`,
      `replica  ${replicaId}`,
      `data dir ${dataDir}`,
    ]);
  },
};
