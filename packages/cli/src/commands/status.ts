import { type SpaceSummary, spaceSummary } from '@weft/core';
import { databaseFileBytes } from '@weft/sqlite';
import type { Command } from '../command.js';
import { databaseFile, withDatabase } from '../db.js';
import { formatBytes, plural, table } from '../format.js';

export const status: Command = {
  name: 'status',
  args: [],
  summary: 'show the replica, its file, and counts for every space',
  description:
    'Prints the replica id, the data directory, the size of the database file, and for each\n' +
    'space: its collections and their document counts, the changes and runs in its log, the\n' +
    'bytes it stores (log and snapshot), and how many heads its change DAG has.',
  examples: ['weft status', 'weft status --json | jq ".spaces[].documents"'],
  async run({ dataDir, out }) {
    const file = databaseFile(dataDir);
    const { replicaId, spaces } = await withDatabase(dataDir, { create: false }, async (db) => {
      const spaces: SpaceSummary[] = [];
      for (const name of await db.spaceNames())
        spaces.push(await spaceSummary(await db.space(name)));
      return { replicaId: db.replicaId, spaces };
    });
    // Measured after closing, when the write-ahead log has been folded into the file.
    const fileBytes = databaseFileBytes(dataDir);
    out.result({ replicaId, dataDir, file, fileBytes, spaces }, () => [
      `replica  ${replicaId}`,
      `data dir ${dataDir}`,
      `file     ${file} (${formatBytes(fileBytes)})`,
      ...(spaces.length === 0
        ? ['', 'no spaces yet; `weft put <space>/<collection> <json>` makes one']
        : []),
      ...spaces.flatMap((s) => [
        '',
        `space ${s.name}: ${plural(s.documents, 'document')}, ${plural(s.changes, 'change')} in ${plural(s.runs, 'run')}, ${formatBytes(s.storage.log + s.storage.snapshot)} stored (log ${formatBytes(s.storage.log)}, snapshot ${formatBytes(s.storage.snapshot)}), ${plural(s.heads, 'head')}`,
        ...table(
          s.collections.map((c) => [c.name, plural(c.documents, 'document')]),
          '  ',
        ),
      ]),
    ]);
  },
};
