// The scanner's service worker, served under /checkin/ so its scope is the scanner and nothing
// else. Pages and their scripts: network first, the last copy when offline. The API is never
// cached: the scanner keeps its own data (IndexedDB) and queues scans itself.
const SERVICE_WORKER = `
const CACHE = "guichet-checkin-v1";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (!url.pathname.startsWith("/checkin") && !url.pathname.startsWith("/_next/")) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)));
        }
        return response;
      })
      .catch(() => caches.match(event.request).then((cached) => cached || Response.error())),
  );
});
`;

export function GET() {
  return new Response(SERVICE_WORKER, {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" },
  });
}
