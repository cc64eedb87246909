import { getJson } from './api.js';
import { fill, h, table } from './dom.js';
import { ago, bytes, count, json } from './format.js';
import type { Client, Clients, Presence } from './types.js';
import type { View } from './view.js';

/** Connected clients and their sync lag (every space, or one). */
export function clientTable(clients: readonly Client[], showSpace: boolean): HTMLElement {
  const headers = [
    'client',
    ...(showSpace ? ['space'] : []),
    'connected',
    'access',
    'lag',
    'known',
  ];
  return table(
    'client-table',
    headers,
    clients,
    (c) => ({
      testid: 'client-row',
      data: { client: c.client, space: c.space },
      cells: [
        h('code', {}, c.client),
        ...(showSpace ? [c.space] : []),
        h('span', { title: new Date(c.connectedAt).toISOString() }, ago(c.connectedAt)),
        c.canWrite ? 'read, write' : 'read',
        lag(c),
        h('code', { class: 'small' }, c.known.map((v) => `${v.actor}:${v.seq}`).join(' ')),
      ],
    }),
    'no clients connected',
  );
}

function lag(c: Client): HTMLElement {
  if (c.upToDate) return h('span', { class: 'ok', testid: 'client-lag' }, 'up to date');
  const parts = [
    c.behind > 0 ? `${count(c.behind, 'change')} not sent yet` : '',
    c.queuedMessages > 0 ? `${count(c.queuedMessages, 'message')} queued` : '',
    c.bufferedBytes > 0 ? `${bytes(c.bufferedBytes)} buffered` : '',
  ].filter((p) => p !== '');
  return h('span', { class: 'warn', testid: 'client-lag' }, parts.join(', '));
}

function presenceTable(presence: readonly Presence[]): HTMLElement {
  return table(
    'presence-table',
    ['client', 'state', 'status'],
    presence,
    (p) => ({
      testid: 'presence-row',
      data: { client: p.client },
      cells: [
        h('code', {}, p.client),
        h('code', { class: 'small' }, json(p.state)),
        p.connected
          ? 'online'
          : `left; gone in ${Math.max(0, Math.round(((p.expiresAt ?? 0) - Date.now()) / 1000))} s`,
      ],
    }),
    'nobody present',
  );
}

/** A space's clients and presence. */
export function clientsView(el: HTMLElement, space: string): View {
  return {
    async refresh() {
      const data = await getJson<Clients>(['spaces', space, 'clients']);
      fill(
        el,
        h('h3', {}, 'Connected clients'),
        clientTable(data.clients, false),
        h(
          'p',
          { class: 'note' },
          'Lag: changes this server has that it has not sent the client yet, and what was sent but still waits in the connection.',
        ),
        h('h3', {}, 'Presence'),
        presenceTable(data.presence ?? []),
      );
    },
  };
}
