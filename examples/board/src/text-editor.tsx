import type { Anchor, Collection } from '@weft/core';
import { useLayoutEffect, useRef } from 'react';
import type { Card } from './model.js';
import { spliceBetween } from './text-diff.js';

export interface RemoteCaret {
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly index: number;
}

interface Props {
  readonly cards: Collection<Card>;
  readonly id: string;
  readonly value: string;
  readonly carets: readonly RemoteCaret[];
  /** Told where this user's caret is (a stable anchor), or null when the editor loses focus. */
  readonly onCaret: (cursor: Anchor | null) => void;
}

/**
 * A textarea over a collaborative text field. Each input becomes one splice of the field (the
 * difference from what the textarea showed). When a remote edit changes the text, the caret is
 * put back where it was in the text, not at the same number: it is kept as stable anchors.
 * Other people's carets are drawn in a mirror of the textarea behind it.
 */
export function TextEditor({ cards, id, value, carets, onCaret }: Props) {
  const area = useRef<HTMLTextAreaElement>(null);
  const shown = useRef(value);
  const selection = useRef<{ start: Anchor; end: Anchor } | null>(null);

  // After a render with a new value, restore the caret from its anchors.
  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    if (shown.current !== value) {
      shown.current = value;
      const anchors = selection.current;
      if (anchors && document.activeElement === el) {
        el.setSelectionRange(
          cards.position(id, 'description', anchors.start),
          cards.position(id, 'description', anchors.end),
        );
      }
    }
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [value, cards, id]);

  const remember = () => {
    const el = area.current;
    if (!el || !cards.get(id)) return;
    const start = cards.cursor(id, 'description', el.selectionStart);
    const end = cards.cursor(id, 'description', el.selectionEnd, 'left');
    selection.current = { start, end };
    onCaret(start);
  };

  const input = () => {
    const el = area.current;
    if (!el) return;
    const splice = spliceBetween(shown.current, el.value);
    shown.current = el.value;
    if (splice)
      void cards.spliceText(id, 'description', splice.index, splice.deleteCount, splice.insert);
    remember();
  };

  return (
    <div className="editor">
      <div className="editor-mirror" aria-hidden="true">
        {mirror(value, carets)}
      </div>
      <textarea
        ref={area}
        data-testid="card-description"
        value={value}
        placeholder="Description: everyone can type here at once"
        rows={2}
        onChange={input}
        onSelect={remember}
        onFocus={remember}
        onBlur={() => {
          selection.current = null;
          onCaret(null);
        }}
      />
    </div>
  );
}

/** The text with a marker at each remote caret, for the mirror behind the textarea. */
function mirror(text: string, carets: readonly RemoteCaret[]) {
  const sorted = [...carets].sort((a, b) => a.index - b.index);
  const parts = [];
  let at = 0;
  for (const caret of sorted) {
    const index = Math.min(Math.max(caret.index, 0), text.length);
    parts.push(text.slice(at, index));
    parts.push(
      <span
        key={caret.id}
        className="remote-caret"
        data-testid="remote-caret"
        style={{ borderColor: caret.color }}
      >
        <span className="remote-caret-name" style={{ background: caret.color }}>
          {caret.name}
        </span>
      </span>,
    );
    at = index;
  }
  parts.push(`${text.slice(at)}\u200b`);
  return parts;
}
