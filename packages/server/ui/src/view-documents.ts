import { getJson } from './api.js';
import { fill, h, link, table } from './dom.js';
import { count } from './format.js';
import { href } from './route.js';
import type { DocPage } from './types.js';
import { changedOnly, type View } from './view.js';

const PAGE_SIZE = 50;

/**
 * A collection's documents, a page at a time, with a text search (`q`) and a query filter
 * (`where`, JSON). The inputs stay put; only the results below them are redrawn.
 */
export function documentsView(el: HTMLElement, space: string, collection: string): View {
  /** The `after` cursor of each page up to the current one (the first is ''). */
  const cursors: string[] = [''];
  let next: string | null = null;
  const search = h('input', {
    type: 'search',
    placeholder: 'search ids and values',
    testid: 'doc-search',
  });
  const where = h('input', {
    type: 'text',
    placeholder: 'where, as JSON: {"done": false}',
    testid: 'doc-where',
    class: 'wide',
  });
  const prev = h('button', { type: 'button', testid: 'page-prev' }, '← previous');
  const more = h('button', { type: 'button', testid: 'page-next' }, 'next →');
  const info = h('span', { testid: 'page-info' });
  const results = h('div', { testid: 'doc-results' });
  const problem = h('p', { class: 'error', testid: 'doc-query-error', hidden: true });
  fill(
    el,
    h('h3', {}, `Documents in ${collection}`),
    h('div', { class: 'toolbar' }, search, where),
    problem,
    h('div', { class: 'pager' }, prev, info, more),
    results,
  );

  const render = changedOnly((page: DocPage) => {
    const from = (cursors.length - 1) * PAGE_SIZE;
    info.textContent =
      page.total === 0
        ? 'no documents'
        : `${from + 1}–${from + page.docs.length} of ${count(page.total, 'document')}`;
    fill(
      results,
      table(
        'doc-table',
        ['id', 'value'],
        page.docs,
        (doc) => ({
          testid: 'doc-row',
          data: { id: doc.id },
          cells: [
            link(href({ space, tab: 'documents', collection, id: doc.id }), doc.id, 'doc-link'),
            h('code', { class: 'preview' }, doc.preview),
          ],
        }),
        'no documents match',
      ),
    );
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      cursors.length = 1;
      void view.refresh();
    }, 250);
  };
  search.addEventListener('input', restart);
  where.addEventListener('input', restart);
  more.addEventListener('click', () => {
    if (next === null) return;
    cursors.push(next);
    void view.refresh();
  });
  prev.addEventListener('click', () => {
    if (cursors.length > 1) cursors.pop();
    void view.refresh();
  });

  const view: View = {
    async refresh() {
      let page: DocPage;
      try {
        page = await getJson<DocPage>(['spaces', space, 'collections', collection], {
          limit: PAGE_SIZE,
          after: cursors.at(-1),
          q: search.value,
          where: where.value.trim(),
        });
      } catch (error) {
        // A filter being typed is not valid JSON yet: say so beside it, keep the last page.
        if ((error as { code?: string }).code !== 'invalid-query') throw error;
        problem.textContent = (error as Error).message;
        problem.hidden = false;
        return;
      }
      problem.hidden = true;
      next = page.nextCursor;
      prev.disabled = cursors.length === 1;
      more.disabled = next === null;
      render(page);
    },
  };
  return view;
}
