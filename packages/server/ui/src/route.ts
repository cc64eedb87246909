// The page's address: `#/spaces/<space>/<tab>`, and for documents
// `#/spaces/<space>/collections/<collection>[/docs/<id>]`. Parts are URI-encoded.

export type Tab = 'overview' | 'documents' | 'dag' | 'clients';

export interface Route {
  readonly space?: string;
  readonly tab: Tab;
  readonly collection?: string;
  readonly id?: string;
}

const TABS: readonly Tab[] = ['overview', 'documents', 'dag', 'clients'];

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  if (parts[0] !== 'spaces' || parts[1] === undefined) return { tab: 'overview' };
  const space = parts[1];
  if (parts[2] === 'collections' && parts[3] !== undefined) {
    if (parts[4] === 'docs' && parts[5] !== undefined)
      return { space, tab: 'documents', collection: parts[3], id: parts[5] };
    return { space, tab: 'documents', collection: parts[3] };
  }
  const tab = TABS.find((t) => t === parts[2]) ?? 'overview';
  return { space, tab };
}

export function href(route: Route): string {
  if (route.space === undefined) return '#/';
  const base = `#/spaces/${encodeURIComponent(route.space)}`;
  if (route.collection !== undefined) {
    const coll = `${base}/collections/${encodeURIComponent(route.collection)}`;
    return route.id === undefined ? coll : `${coll}/docs/${encodeURIComponent(route.id)}`;
  }
  return route.tab === 'overview' ? base : `${base}/${route.tab}`;
}
