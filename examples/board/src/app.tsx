import type { Anchor } from '@weft/core';
import { usePresence } from '@weft/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { BoardView } from './board-view.js';
import type { Connection, Status } from './connection.js';
import { type Identity, loadIdentity, saveIdentity } from './identity.js';
import { model, type Presence } from './model.js';

export function App({ connection }: { connection: Connection }) {
  const board = useMemo(() => model(connection.space), [connection]);
  const { sync } = connection;
  const [status, setStatus] = useState<Status>(sync.status);
  useEffect(() => {
    const stop = sync.subscribe(() => setStatus(sync.status));
    setStatus(sync.status); // it may have changed before this effect ran
    return stop;
  }, [sync]);
  const [identity, setIdentity] = useState<Identity>(loadIdentity);
  const [focus, setFocus] = useState<{ card: string | null; cursor: Anchor | null }>({
    card: null,
    cursor: null,
  });
  const [others, setMine] = usePresence<Presence>();

  useEffect(() => {
    setMine({ ...identity, card: focus.card, cursor: focus.cursor });
  }, [identity, focus, setMine]);

  const onFocus = useCallback(
    (card: string | null, cursor: Anchor | null) =>
      setFocus((f) => (f.card === card && f.cursor === cursor ? f : { card, cursor })),
    [],
  );
  const rename = (name: string) => {
    const next = { ...identity, name };
    setIdentity(next);
    saveIdentity(next);
  };

  return (
    <>
      <header className="top">
        <h1>Weft board</h1>
        <span className={`status ${status}`} data-testid="status">
          {status}
        </span>
        <span className="people" data-testid="people">
          <span className="person me" style={{ background: identity.color }}>
            <input
              data-testid="my-name"
              value={identity.name}
              aria-label="Your name"
              onChange={(e) => rename(e.target.value)}
            />
          </span>
          {[...others].map(([client, p]) => (
            <span
              key={client}
              className="person"
              data-testid="person"
              style={{ background: p.color }}
              title={p.card ? `${p.name} is on a card` : p.name}
            >
              {p.name}
            </span>
          ))}
        </span>
        <a className="inspect" href="/inspect" target="_blank" rel="noreferrer">
          inspector
        </a>
      </header>
      <BoardView model={board} others={others} onFocus={onFocus} />
      <footer>
        Everything here is a local-first replica: edits land in this browser at once, work offline,
        and merge with everyone else&apos;s when the connection returns. Replica{' '}
        <code>{connection.replica}</code>.
      </footer>
    </>
  );
}
