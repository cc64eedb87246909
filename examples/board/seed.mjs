// Seeds the demo board into a server data directory on first run (start.mjs calls it before
// `weft serve`). Does nothing if the board is already there.
import { openSqliteDatabase } from '@weft/sqlite';

/** Writes the demo board into `dataDir` unless it is there; says which. */
export async function seedDemo(dataDir) {
  const db = await openSqliteDatabase({ dataDir });
  try {
    const space = await db.space('board');
    const boards = space.collection('boards', { fields: { columns: 'list' } });
    const cards = space.collection('cards', {
      fields: { description: 'text', tags: 'set', votes: 'counter' },
    });
    if (boards.get('main')) {
      console.log(`demo board already in ${dataDir}`);
    } else {
      const now = Date.now();
      const card = (i, column, title, description, tags, votes) => ({
        id: `seed-${i}`,
        title,
        description,
        tags,
        votes,
        column,
        created: now + i,
      });
      await space.transact(() => {
        boards.insert({
          id: 'main',
          name: 'Launch',
          columns: [
            { id: 'todo', name: 'To do' },
            { id: 'doing', name: 'Doing' },
            { id: 'done', name: 'Done' },
          ],
        });
        cards.insertMany([
          card(
            1,
            'todo',
            'Write the launch post',
            'Open this board in two windows and type here in both at once.',
            ['writing'],
            2,
          ),
          card(
            2,
            'todo',
            'Try it offline',
            'Go offline (DevTools › Network › Offline), edit, come back: it merges.',
            ['demo'],
            1,
          ),
          card(
            3,
            'doing',
            'Vote on the logo',
            'Votes are a counter: concurrent votes add up.',
            ['design', 'urgent'],
            3,
          ),
          card(
            4,
            'done',
            'Set up the sync server',
            'npm start runs weft serve with this app and the inspector.',
            ['ops'],
            0,
          ),
        ]);
      });
      console.log(`seeded the demo board into ${dataDir}`);
    }
  } finally {
    await db.close();
  }
}
