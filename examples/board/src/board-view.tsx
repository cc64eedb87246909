import type { Anchor } from '@weft/core';
import { useDocument, useQuery } from '@weft/react';
import { type FormEvent, useState } from 'react';
import { CardView } from './card-view.js';
import { BOARD_ID, type Card, type Column, type Model, newId, type Presence } from './model.js';

interface Props {
  readonly model: Model;
  readonly others: ReadonlyMap<string, Presence>;
  readonly onFocus: (card: string | null, cursor: Anchor | null) => void;
}

export function BoardView({ model, others, onFocus }: Props) {
  const board = useDocument(model.boards, BOARD_ID);
  const cards = useQuery(model.cards, { orderBy: 'created' });
  const [columnName, setColumnName] = useState('');
  if (!board) {
    return (
      <p className="waiting" data-testid="waiting">
        Waiting for the board from the server…
      </p>
    );
  }
  const columns = board.columns;
  const known = new Set(columns.map((c) => c.id));
  // A card whose column was removed (perhaps concurrently) shows in the first column.
  const cardsIn = (column: Column, first: boolean) =>
    cards.filter((c) => c.column === column.id || (first && !known.has(c.column)));

  const addColumn = (event: FormEvent) => {
    event.preventDefault();
    const name = columnName.trim();
    if (!name) return;
    void model.boards.spliceList(BOARD_ID, 'columns', columns.length, 0, [{ id: newId(), name }]);
    setColumnName('');
  };

  return (
    <main className="board" data-testid="board">
      {columns.map((column, i) => (
        <ColumnView
          key={column.id}
          model={model}
          column={column}
          columns={columns}
          cards={cardsIn(column, i === 0)}
          others={others}
          onFocus={onFocus}
        />
      ))}
      <form className="column add-column" onSubmit={addColumn}>
        <input
          data-testid="column-name-input"
          value={columnName}
          placeholder="+ column"
          aria-label="New column"
          onChange={(e) => setColumnName(e.target.value)}
        />
      </form>
    </main>
  );
}

interface ColumnProps {
  readonly model: Model;
  readonly column: Column;
  readonly columns: readonly Column[];
  readonly cards: readonly (Card & { id: string })[];
  readonly others: ReadonlyMap<string, Presence>;
  readonly onFocus: (card: string | null, cursor: Anchor | null) => void;
}

function ColumnView({ model, column, columns, cards, others, onFocus }: ColumnProps) {
  const [title, setTitle] = useState('');
  const addCard = (event: FormEvent) => {
    event.preventDefault();
    const text = title.trim();
    if (!text) return;
    void model.cards.insert({
      title: text,
      description: '',
      tags: [],
      votes: 0,
      column: column.id,
      created: Date.now(),
    });
    setTitle('');
  };
  const removeColumn = () => {
    const board = model.boards.get(BOARD_ID);
    const at = board?.columns.findIndex((c) => c.id === column.id) ?? -1;
    if (at >= 0 && board && board.columns.length > 1)
      void model.boards.spliceList(BOARD_ID, 'columns', at, 1);
  };
  return (
    <section className="column" data-testid="column" data-column={column.name}>
      <header>
        <h2>{column.name}</h2>
        <span className="count">{cards.length}</span>
        {columns.length > 1 && (
          <button type="button" aria-label={`Remove column ${column.name}`} onClick={removeColumn}>
            ×
          </button>
        )}
      </header>
      {cards.map((card) => (
        <CardView
          key={card.id}
          model={model}
          id={card.id}
          columns={columns}
          visitors={[...others].filter(([, p]) => p.card === card.id)}
          onFocus={onFocus}
        />
      ))}
      {
        <form onSubmit={addCard}>
          <input
            className="new-card"
            data-testid="new-card-input"
            value={title}
            placeholder="+ card"
            aria-label={`New card in ${column.name}`}
            onChange={(e) => setTitle(e.target.value)}
          />
        </form>
      }
    </section>
  );
}
