import { getJson } from './api.js';
import { fill, h, link, table } from './dom.js';
import { href } from './route.js';
import type { Clients, SpaceItem } from './types.js';
import type { View } from './view.js';
import { clientTable } from './view-clients.js';

/** Every space, and every connected client. */
export function homeView(el: HTMLElement): View {
  return {
    async refresh() {
      const [{ spaces }, { clients }] = await Promise.all([
        getJson<{ spaces: SpaceItem[] }>(['spaces']),
        getJson<Clients>(['clients']),
      ]);
      fill(
        el,
        h('h2', {}, 'Spaces'),
        table(
          'space-table',
          ['space', 'clients', 'present'],
          spaces,
          (s) => ({
            testid: 'space-row',
            data: { space: s.name },
            cells: [
              link(href({ space: s.name, tab: 'overview' }), s.name),
              String(s.clients),
              String(s.presence),
            ],
          }),
          'no spaces yet',
        ),
        h('h2', {}, 'Connected clients'),
        clientTable(clients, true),
      );
    },
  };
}
