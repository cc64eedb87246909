import type { Anchor } from '@weft/core';
import { useDocument } from '@weft/react';
import { type FormEvent, useState } from 'react';
import type { Column, Model, Presence } from './model.js';
import { type RemoteCaret, TextEditor } from './text-editor.js';

interface Props {
  readonly model: Model;
  readonly id: string;
  readonly columns: readonly Column[];
  /** Others on this card, by client id. */
  readonly visitors: readonly [string, Presence][];
  readonly onFocus: (card: string | null, cursor: Anchor | null) => void;
}

export function CardView({ model, id, columns, visitors, onFocus }: Props) {
  const { cards } = model;
  const card = useDocument(cards, id);
  const [tag, setTag] = useState('');
  if (!card) return null;

  const where = columns.findIndex((c) => c.id === card.column);
  const moveTo = (index: number) => {
    const column = columns[index];
    if (column) void cards.update(id, { column: column.id });
  };
  const addTag = (event: FormEvent) => {
    event.preventDefault();
    const name = tag.trim();
    // Edit the document as it is now (the draft), not as this render saw it: a tag someone
    // added a moment ago must not be removed by writing an older array back.
    if (name)
      void cards.update(id, (d) => {
        if (!d.tags.includes(name)) d.tags.push(name);
      });
    setTag('');
  };
  const carets: RemoteCaret[] = [];
  for (const [client, p] of visitors) {
    if (!p.cursor) continue;
    try {
      carets.push({
        id: client,
        name: p.name,
        color: p.color,
        index: cards.position(id, 'description', p.cursor),
      });
    } catch {
      // a cursor from text this replica has not received yet: shown once it arrives
    }
  }

  return (
    <article
      className="card"
      data-testid="card"
      data-card-id={id}
      style={visitors.length ? { boxShadow: `0 0 0 2px ${visitors[0]![1].color}` } : undefined}
      onFocus={() => onFocus(id, null)}
    >
      <div className="card-top">
        <input
          className="card-title"
          data-testid="card-title"
          value={card.title}
          aria-label="Title"
          onChange={(e) => void cards.update(id, { title: e.target.value })}
        />
        <button
          type="button"
          className="votes"
          data-testid="card-vote"
          title="Vote (a counter: concurrent votes add up)"
          onClick={() =>
            void cards.update(id, (d) => {
              d.votes += 1;
            })
          }
        >
          ▲ <span data-testid="card-votes">{card.votes}</span>
        </button>
      </div>
      <TextEditor
        cards={cards}
        id={id}
        value={card.description}
        carets={carets}
        onCaret={(cursor) => onFocus(cursor ? id : null, cursor)}
      />
      <div className="tags">
        {card.tags.map((t) => (
          <span className="tag" data-testid="card-tag" key={t}>
            {t}
            <button
              type="button"
              aria-label={`Remove tag ${t}`}
              onClick={() =>
                void cards.update(id, (d) => {
                  d.tags = d.tags.filter((x) => x !== t);
                })
              }
            >
              ×
            </button>
          </span>
        ))}
        <form onSubmit={addTag}>
          <input
            data-testid="card-tag-input"
            value={tag}
            placeholder="+ tag"
            aria-label="Add a tag"
            onChange={(e) => setTag(e.target.value)}
          />
        </form>
      </div>
      <div className="card-foot">
        <button
          type="button"
          disabled={where <= 0}
          onClick={() => moveTo(where - 1)}
          aria-label="Move left"
        >
          ←
        </button>
        <button
          type="button"
          disabled={where < 0 || where >= columns.length - 1}
          onClick={() => moveTo(where + 1)}
          aria-label="Move right"
        >
          →
        </button>
        <span className="visitors">
          {visitors.map(([client, p]) => (
            <span key={client} className="dot" style={{ background: p.color }} title={p.name} />
          ))}
        </span>
        <button
          type="button"
          className="delete"
          data-testid="card-delete"
          onClick={() => void cards.delete(id)}
        >
          Delete
        </button>
      </div>
    </article>
  );
}
