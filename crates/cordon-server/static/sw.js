// cordon's service worker: keeps the reporter's pages and the static files so the
// report form opens without a connection. Pages: network first, the cached copy when
// offline. Static files: cache first (their URLs carry a fingerprint). API calls and
// posts are never cached.
'use strict';
const CACHE = 'cordon-__VERSION__';
const PRECACHE = __PRECACHE__;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(PRECACHE.map(async (url) => {
      try {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (response.ok && !response.redirected) await cache.put(url, response);
      } catch (e) { /* not reachable now: cached on the next visit */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('cordon-') && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/sw.js') return;
  if (url.pathname.startsWith('/static/')) {
    event.respondWith((async () => {
      const cached = await caches.match(request);
      if (cached) return cached;
      const response = await fetch(request);
      if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
      return response;
    })());
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        if (response.ok && !response.redirected && ['/report', '/reports', '/daily'].includes(url.pathname)) {
          (await caches.open(CACHE)).put(url.pathname, response.clone());
        }
        return response;
      } catch (e) {
        const cached = (await caches.match(url.pathname)) || (await caches.match('/report'));
        if (cached) return cached;
        throw e;
      }
    })());
  }
});
