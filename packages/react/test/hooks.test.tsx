// @vitest-environment happy-dom
// The hooks rendered by React DOM (in a DOM implementation for Node; the demo's end-to-end
// tests run them in real Chromium), over a real in-memory database.
import { type Collection, openDatabase, type Space, type Value } from '@weft/core';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  type PresenceSource,
  useDocument,
  usePresence,
  useQuery,
  useSpace,
  WeftProvider,
} from '../src/index.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

interface Card {
  title: string;
  status: string;
  votes: number;
}

let space: Space;
let cards: Collection<Card>;
let root: Root;
let container: HTMLElement;
let renders = 0;

beforeEach(async () => {
  const db = await openDatabase({ actor: 'tester' });
  space = await db.space('board');
  cards = space.collection<Card>('cards', { fields: { votes: 'counter' } });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  renders = 0;
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

const text = () => container.textContent;

async function show(node: ReactNode, presence?: PresenceSource) {
  await act(async () => {
    root.render(
      presence ? (
        <WeftProvider space={space} presence={presence}>
          {node}
        </WeftProvider>
      ) : (
        <WeftProvider space={space}>{node}</WeftProvider>
      ),
    );
  });
}

function OpenCards() {
  renders++;
  // An inline query object: a new one every render, the same query by value.
  const docs = useQuery(cards, { where: { status: 'open' }, orderBy: '-votes' });
  return <ul>{docs.map((d) => `${d.title}:${d.votes};`)}</ul>;
}

function ByStatus({ status }: { status: string }) {
  const docs = useQuery(cards, { where: { status } });
  return <p>{docs.map((d) => d.title).join(',')}</p>;
}

function Votes({ id }: { id: string }) {
  const card = useDocument(cards, id);
  return <span>{card ? `${card.title} ${card.votes}` : 'none'}</span>;
}

function SpaceCollections() {
  return <b>{useSpace().collectionNames().join()}</b>;
}

function Lost() {
  useSpace();
  return null;
}

function NeedsPresence() {
  usePresence();
  return null;
}

let setMine: ((state: { name: string }) => void) | undefined;
function Who() {
  const [others, set] = usePresence<{ name: string }>();
  setMine = set;
  return <i>{[...others.values()].map((s) => s.name).join(',')}</i>;
}

describe('useQuery', () => {
  test('shows the matching documents and follows writes that affect them', async () => {
    await cards.insert({ id: 'a', title: 'A', status: 'open', votes: 1 });
    await show(<OpenCards />);
    expect(text()).toBe('A:1;');
    await act(() => cards.insert({ id: 'b', title: 'B', status: 'open', votes: 5 }));
    expect(text()).toBe('B:5;A:1;');
    await act(() => cards.update('a', { status: 'done' }));
    expect(text()).toBe('B:5;');
    const before = renders;
    // A write the query does not see renders nothing.
    await act(() => cards.insert({ id: 'c', title: 'C', status: 'done', votes: 0 }));
    expect(renders).toBe(before);
    expect(text()).toBe('B:5;');
  });

  test('follows changes that arrive from another replica', async () => {
    await show(<OpenCards />);
    expect(text()).toBe('');
    const other = await (await openDatabase({ actor: 'other' })).space('board');
    await other.collection('cards', { fields: { votes: 'counter' } }).insert({
      id: 'r',
      title: 'Remote',
      status: 'open',
      votes: 2,
    });
    await act(() => space.receive(other.changesSince(space.versionVector())));
    expect(text()).toBe('Remote:2;');
  });

  test('a changed query resubscribes; an unmounted component stops listening', async () => {
    await cards.insertMany([
      { id: 'a', title: 'A', status: 'open', votes: 0 },
      { id: 'b', title: 'B', status: 'done', votes: 0 },
    ]);
    await show(<ByStatus status="open" />);
    expect(text()).toBe('A');
    await show(<ByStatus status="done" />);
    expect(text()).toBe('B');
    await show(null);
    await act(() => cards.insert({ id: 'c', title: 'C', status: 'done', votes: 0 }));
    expect(text()).toBe('');
  });
});

describe('useDocument', () => {
  test('follows one document through updates and its deletion', async () => {
    await show(<Votes id="x" />);
    expect(text()).toBe('none');
    await act(() => cards.insert({ id: 'x', title: 'X', status: 'open', votes: 0 }));
    expect(text()).toBe('X 0');
    await act(() =>
      cards.update('x', (d) => {
        d.votes += 3;
      }),
    );
    expect(text()).toBe('X 3');
    await act(() => cards.delete('x'));
    expect(text()).toBe('none');
  });
});

describe('useSpace and errors', () => {
  test('useSpace gives the provider space', async () => {
    await show(<SpaceCollections />);
    expect(text()).toBe('cards');
  });

  test('a hook outside a provider says what is missing', () => {
    const lonely = createRoot(document.createElement('div'));
    expect(() => act(() => lonely.render(<Lost />))).toThrow(/needs a <WeftProvider/);
  });
});

/** A presence source as a SyncClient is one, driven by the test. */
class FakeNetworkPresence implements PresenceSource {
  readonly others = new Map<string, Value>();
  mine: Value = null;
  private readonly listeners = new Set<() => void>();
  presence() {
    return this.others;
  }
  setPresence(state: Value) {
    this.mine = state;
  }
  subscribePresence(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  arrive(client: string, state: Value) {
    if (state === null) this.others.delete(client);
    else this.others.set(client, state);
    for (const l of this.listeners) l();
  }
}

describe('usePresence', () => {
  test('shows the others as they come and go, and sets our own', async () => {
    const source = new FakeNetworkPresence();
    await show(<Who />, source);
    expect(text()).toBe('');
    act(() => source.arrive('c1', { name: 'Ada' }));
    expect(text()).toBe('Ada');
    act(() => source.arrive('c2', { name: 'Bo' }));
    expect(text()).toBe('Ada,Bo');
    act(() => source.arrive('c1', null));
    expect(text()).toBe('Bo');
    setMine?.({ name: 'me' });
    expect(source.mine).toEqual({ name: 'me' });
  });

  test('without a presence source it says how to give one', () => {
    const r = createRoot(document.createElement('div'));
    const render = () =>
      act(() =>
        r.render(
          <WeftProvider space={space}>
            <NeedsPresence />
          </WeftProvider>,
        ),
      );
    expect(render).toThrow(/presence=\{syncClient\}/);
  });
});
