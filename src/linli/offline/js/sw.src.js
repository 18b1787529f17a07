// Linli's service worker: pages a person opened are kept (network first, the saved copy when
// there is no connection); static files are kept and refreshed; writes are never handled here,
// they go through the page's outbox (outbox.src.js). Built by scripts/build_offline.sh.
import { registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkFirst, StaleWhileRevalidate } from "workbox-strategies";
import { CacheableResponsePlugin } from "workbox-cacheable-response";

const CONFIG = self.LINLI || { precache: [], offline: "/offline/" };
const PAGES = "linli-pages";
const STATIC = "linli-static";
const keepOk = new CacheableResponsePlugin({ statuses: [200] });

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC).then((cache) => cache.addAll(CONFIG.precache))
      .then(() => caches.open(PAGES)).then((cache) => cache.add(CONFIG.offline))
      .then(() => self.skipWaiting())
  );
});
self.addEventListener("activate", (event) => { event.waitUntil(self.clients.claim()); });

registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin
    && !url.pathname.startsWith("/accounts/") && !url.pathname.startsWith("/admin/"),
  new NetworkFirst({
    cacheName: PAGES, networkTimeoutSeconds: 6, plugins: [keepOk],
    matchOptions: { ignoreVary: true },
  })
);
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new StaleWhileRevalidate({ cacheName: STATIC, plugins: [keepOk], matchOptions: { ignoreVary: true } })
);
setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    const saved = await caches.match(CONFIG.offline, { ignoreVary: true });
    if (saved) { return saved; }
  }
  return Response.error();
});
self.addEventListener("message", (event) => {
  if (event.data === "linli:clear") {
    event.waitUntil(caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))));
  }
});
