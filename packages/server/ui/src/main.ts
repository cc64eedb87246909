// The inspector page: polls the read-only API about once a second and redraws what changed.
// Elements tests use carry a data-testid (see ARCHITECTURE.md, "The inspector").
import { ApiFailure, getJson, takeToken } from './api.js';
import { fill, h, link } from './dom.js';
import { bytes, count } from './format.js';
import { href, parseRoute } from './route.js';
import type { SpaceItem, Status } from './types.js';
import type { View } from './view.js';
import { homeView } from './view-home.js';
import { spaceView } from './view-space.js';

const POLL_MS = 1000;

function byTestId<T extends HTMLElement>(id: string): T {
  const el = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`the page has no ${id}`);
  return el;
}

const statusEl = byTestId('status');
const spaceList = byTestId('space-list');
const main = byTestId('main');
const errorEl = byTestId('error');
const live = byTestId<HTMLInputElement>('live-toggle');
const updated = byTestId('updated-at');

let view: View | undefined;
let shown = '';
let running = false;
let again = false;

async function tick(): Promise<void> {
  if (running) {
    again = true; // a route change while a poll is out: draw it right after
    return;
  }
  running = true;
  try {
    const route = parseRoute(location.hash);
    const key = href(route);
    if (key !== shown || !view) {
      shown = key;
      main.replaceChildren();
      view =
        route.space === undefined
          ? homeView(main)
          : spaceView(main, { ...route, space: route.space });
    }
    const [status, { spaces }] = await Promise.all([
      getJson<Status>(['status']),
      getJson<{ spaces: SpaceItem[] }>(['spaces']),
      view.refresh(),
    ]);
    renderStatus(status);
    renderSpaces(spaces, route.space);
    errorEl.hidden = true;
    updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    errorEl.hidden = false;
    errorEl.textContent =
      error instanceof ApiFailure
        ? `${error.code}: ${error.message}`
        : `cannot reach the server (${String(error)})`;
  } finally {
    running = false;
    if (again) {
      again = false;
      void tick();
    }
  }
}

function renderStatus(s: Status): void {
  fill(
    statusEl,
    h('span', {}, s.mode === 'server' ? 'server' : 'data directory'),
    ' · replica ',
    h('code', {}, s.replicaId),
    ` · ${count(s.spaces, 'space')} · ${count(s.clients, 'client')} · ${bytes(s.fileBytes)} on disk`,
  );
  statusEl.title = s.dataDir;
}

function renderSpaces(spaces: readonly SpaceItem[], current: string | undefined): void {
  fill(
    spaceList,
    h('p', {}, link('#/', 'All spaces', 'home-link')),
    h(
      'ul',
      {},
      ...spaces.map((s) => {
        const a = link(href({ space: s.name, tab: 'overview' }), s.name, 'space-link');
        a.dataset.space = s.name;
        if (s.name === current) a.classList.add('active');
        return h(
          'li',
          {},
          a,
          s.clients > 0 ? h('span', { class: 'badge' }, String(s.clients)) : null,
        );
      }),
    ),
  );
}

takeToken();
window.addEventListener('hashchange', () => void tick());
live.addEventListener('change', () => void tick());
setInterval(() => {
  if (live.checked && document.visibilityState === 'visible') void tick();
}, POLL_MS);
void tick();
