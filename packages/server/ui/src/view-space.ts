import { getJson } from './api.js';
import { fill, h, link, table } from './dom.js';
import { bytes, count } from './format.js';
import { href, type Route, type Tab } from './route.js';
import type { SpaceSummary } from './types.js';
import { changedOnly, type View } from './view.js';
import { clientsView } from './view-clients.js';
import { dagView } from './view-dag.js';
import { documentView } from './view-document.js';
import { documentsView } from './view-documents.js';

const TABS: readonly [Tab, string][] = [
  ['overview', 'Overview'],
  ['documents', 'Documents'],
  ['dag', 'Change DAG'],
  ['clients', 'Clients & presence'],
];

/** A space: its name, tabs, and the tab's view. */
export function spaceView(el: HTMLElement, route: Route & { space: string }): View {
  const { space } = route;
  const body = h('div', {});
  fill(
    el,
    h('h2', { testid: 'space-title' }, space),
    h(
      'nav',
      { class: 'tabs', testid: 'space-tabs' },
      ...TABS.map(([tab, label]) => {
        const a = link(href({ space, tab }), label, `tab-${tab}`);
        if (tab === route.tab) a.classList.add('active');
        return a;
      }),
    ),
    body,
  );
  if (route.tab === 'dag') return dagView(body, space);
  if (route.tab === 'clients') return clientsView(body, space);
  if (route.tab === 'documents' && route.collection !== undefined) {
    return route.id === undefined
      ? documentsView(body, space, route.collection)
      : documentView(body, space, route.collection, route.id);
  }
  return overview(body, space, route.tab === 'documents');
}

/** Counts, storage and collections (the documents tab without a collection: the list only). */
function overview(el: HTMLElement, space: string, collectionsOnly: boolean): View {
  const render = changedOnly((s: SpaceSummary) => {
    const rows: [string, string][] = [
      ['documents', s.documents.toLocaleString('en-US')],
      ['changes', `${count(s.changes, 'change')} in ${count(s.runs, 'run')}`],
      ['heads', String(s.heads)],
      ['waiting for deps', count(s.pending, 'run')],
      [
        'storage',
        `${bytes(s.storage.log + s.storage.snapshot)} (log ${bytes(s.storage.log)}, snapshot ${bytes(s.storage.snapshot)})`,
      ],
      ['clients connected', String(s.clients)],
    ];
    fill(
      el,
      collectionsOnly
        ? null
        : table('space-summary', ['', ''], rows, ([k, v]) => ({
            testid: `summary-${k.replace(/ /g, '-')}`,
            cells: [k, v],
          })),
      h('h3', {}, 'Collections'),
      table(
        'collection-list',
        ['collection', 'documents'],
        s.collections,
        (c) => ({
          testid: 'collection-row',
          data: { collection: c.name },
          cells: [
            link(href({ space, tab: 'documents', collection: c.name }), c.name, 'collection-link'),
            c.documents.toLocaleString('en-US'),
          ],
        }),
        'no collections yet',
      ),
    );
  });
  return {
    async refresh() {
      render(await getJson<SpaceSummary>(['spaces', space]));
    },
  };
}
