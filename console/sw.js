// Service worker of the citizen pages: caches the shell (pages, styles, scripts, icons) so the
// form opens on a weak signal; API calls always go to the network (never cached).
const CACHE = 'becak-pintar-shell-v1';
const SHELL = [
  '/ajukan', '/lacak', '/css/style.css', '/css/citizen.css',
  '/js/ajukan.js', '/js/lacak.js', '/js/domain.js', '/js/api.js', '/js/dom.js', '/js/forms.js', '/js/sop.js', '/js/attachments.js', '/js/upload.js',
  '/icons/emblem.svg', '/icons/icon-192.png', '/favicon.svg', '/manifest.webmanifest',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  // Network first (fresh pages when online), the cached shell when offline.
  event.respondWith(
    fetch(event.request)
      .then((res) => {
        if (res.ok && SHELL.includes(url.pathname)) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(event.request, copy));
        }
        return res;
      })
      .catch(() => caches.match(event.request).then((hit) => hit || caches.match('/ajukan'))),
  );
});
