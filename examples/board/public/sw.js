// The board's service worker: keeps the app itself (its page and assets) in a cache, so a
// reload shows the board with the server stopped or the network gone. The data is not here:
// it is in IndexedDB, in Weft's replica. Network first (an online reload gets the newest
// app), the cache when the network fails. The inspector and HTTP sync are never cached.
const CACHE = 'weft-board-app';

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/inspect') || url.pathname.startsWith('/spaces')) return;
  event.respondWith(networkFirst(request));
});

/** The page and the assets it names (Vite's hashed file names are known only from the page). */
async function precache() {
  const cache = await caches.open(CACHE);
  const page = await fetch('/', { cache: 'no-store' });
  if (!page.ok) return;
  const html = await page.clone().text();
  await cache.put('/', page);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll(assets);
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request.mode === 'navigate' ? '/' : request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request.mode === 'navigate' ? '/' : request);
    if (cached) return cached;
    throw error;
  }
}
