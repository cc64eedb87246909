import { getJson } from './api.js';
import { fill, h, table } from './dom.js';
import { count, shortHash, stamp } from './format.js';
import type { Dag } from './types.js';
import { changedOnly, type View } from './view.js';

/** The change DAG: heads, the version vector, and the newest runs with their deps. */
export function dagView(el: HTMLElement, space: string): View {
  const render = changedOnly((dag: Dag) => {
    const heads = new Set(dag.heads);
    fill(
      el,
      h(
        'p',
        { testid: 'dag-counts' },
        `${count(dag.changes, 'change')} in ${count(dag.runs, 'run')}, ${count(dag.heads.length, 'head')}`,
        dag.pending > 0 ? `, ${count(dag.pending, 'run')} waiting for missing deps` : '',
      ),
      h('h3', {}, 'Heads'),
      h(
        'ul',
        { testid: 'dag-heads', class: 'hashes' },
        ...dag.heads.map((head) => h('li', {}, h('code', { title: head }, shortHash(head)))),
      ),
      h('h3', {}, 'Version vector'),
      table('dag-vector', ['actor', 'changes (latest seq)'], dag.vector, (v) => ({
        testid: 'vector-row',
        data: { actor: v.actor },
        cells: [h('code', {}, v.actor), String(v.seq)],
      })),
      h('h3', {}, `Recent runs (newest first, ${dag.recentRuns.length} of ${dag.runs})`),
      table('dag-runs', ['run', 'actor', 'seqs', 'last stamp', 'deps'], dag.recentRuns, (run) => ({
        testid: 'run-row',
        data: { hash: run.hash },
        cells: [
          h(
            'code',
            { title: run.hash, class: heads.has(run.hash) ? 'head' : undefined },
            shortHash(run.hash),
          ),
          h('code', {}, run.actor),
          run.count === 1 ? `#${run.seq}` : `#${run.seq}–${run.seq + run.count - 1}`,
          stamp(run.wall, run.logical),
          h(
            'span',
            {},
            ...run.deps.map((d) => h('code', { title: d, class: 'dep' }, shortHash(d))),
          ),
        ],
      })),
    );
  });
  return {
    async refresh() {
      render(await getJson<Dag>(['spaces', space, 'dag']));
    },
  };
}
