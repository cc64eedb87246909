import { getJson } from './api.js';
import { fill, h, link, table } from './dom.js';
import { count, json, stamp } from './format.js';
import { href } from './route.js';
import type { DocDetail, HistoryEntry } from './types.js';
import { changedOnly, type View } from './view.js';

/**
 * One document: its value, its concurrent values (as `weft inspect` prints them) and the
 * changes that made it. The history is read from the stored log, so it is fetched again only
 * when the document changed.
 */
export function documentView(el: HTMLElement, space: string, collection: string, id: string): View {
  const detail = h('div', { testid: 'doc-detail' });
  const history = h('div', { testid: 'doc-history' });
  fill(
    el,
    h('p', {}, link(href({ space, tab: 'documents', collection }), `← ${collection}`, 'doc-back')),
    h('h3', {}, h('code', {}, id)),
    detail,
    h('h3', {}, 'History'),
    history,
  );
  let historyFor: string | undefined;
  const render = changedOnly((doc: DocDetail) => {
    const fields = Object.entries(doc.conflicts);
    fill(
      detail,
      doc.deleted
        ? h('p', { class: 'warn', testid: 'doc-deleted' }, 'deleted (its history stays)')
        : h('pre', { testid: 'doc-json' }, json(doc.doc, 2)),
      h('h3', {}, fields.length === 0 ? 'Conflicts: none' : 'Conflicts'),
      fields.length === 0
        ? null
        : table(
            'conflict-table',
            ['field', '', 'value', 'actor', 'stamp'],
            fields.flatMap(([field, values]) => values.map((v) => ({ field, ...v }))),
            (c) => ({
              testid: 'conflict-row',
              data: { field: c.field },
              cells: [
                h('code', {}, c.field),
                c.winner ? h('span', { title: 'the value readers see' }, '★') : '',
                h('code', {}, json(c.value)),
                h('code', {}, c.actor),
                stamp(c.wall, c.logical),
              ],
            }),
          ),
      fields.length === 0
        ? null
        : h('p', { class: 'note' }, '★ the value readers see: the latest stamp wins'),
    );
  });
  return {
    async refresh() {
      const doc = await getJson<DocDetail>([
        'spaces',
        space,
        'collections',
        collection,
        'docs',
        id,
      ]);
      render(doc);
      const version = JSON.stringify(doc);
      if (version === historyFor) return;
      const { history: entries } = await getJson<{ history: HistoryEntry[] }>([
        'spaces',
        space,
        'collections',
        collection,
        'docs',
        id,
        'history',
      ]);
      historyFor = version;
      fill(
        history,
        h('p', {}, count(entries.length, 'change')),
        table('history-table', ['actor', 'seq', 'stamp', 'operations'], entries, (e) => ({
          testid: 'history-row',
          data: { actor: e.actor, seq: String(e.seq) },
          cells: [h('code', {}, e.actor), `#${e.seq}`, stamp(e.wall, e.logical), e.ops.join(', ')],
        })),
      );
    },
  };
}
