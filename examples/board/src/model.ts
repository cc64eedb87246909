import type { Anchor, Collection, Space } from '@weft/core';

// The board's data: one board document (its columns are a list field) and cards, whose fields
// show each kind of merge: a title (last writer wins), a description (collaborative text),
// tags (an add-wins set), votes (a counter), the column it is in (last writer wins).

export interface Column {
  readonly id: string;
  readonly name: string;
}

export interface BoardDoc {
  readonly name: string;
  readonly columns: readonly Column[];
}

export interface Card {
  title: string;
  description: string;
  tags: string[];
  votes: number;
  column: string;
  /** When it was made (ms): the order within a column. */
  created: number;
}

/** What each client shares in presence (never stored). */
export type Presence = {
  readonly name: string;
  readonly color: string;
  /** The card this person is on, and where their caret is in its description. */
  readonly card: string | null;
  readonly cursor: Anchor | null;
};

export const BOARD_ID = 'main';
export const SPACE = 'board';

export interface Model {
  readonly boards: Collection<BoardDoc>;
  readonly cards: Collection<Card>;
}

export function model(space: Space): Model {
  return {
    boards: space.collection<BoardDoc>('boards', { fields: { columns: 'list' } }),
    cards: space.collection<Card>('cards', {
      fields: { description: 'text', tags: 'set', votes: 'counter' },
      indexes: [['column']],
    }),
  };
}

export const newId = (): string =>
  `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
