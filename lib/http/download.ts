/** Who may keep a copy: attendee files are "private" (no shared cache), and no cache stores any download. */
type Download = { filename: string; contentType: string; private?: boolean };

/**
 * A file the browser saves rather than shows. The filename is reduced to safe ASCII for
 * `filename=` (no quote, slash or control character can end the header or name a path) and given
 * whole, UTF-8 encoded, as `filename*=` for browsers that read it.
 */
export function download(body: BodyInit, { filename, contentType, private: personal = false }: Download): Response {
  return new Response(body, {
    headers: {
      "content-type": contentType,
      "content-disposition": contentDisposition(filename),
      "cache-control": personal ? "private, no-store" : "no-store",
    },
  });
}

export function contentDisposition(filename: string): string {
  // Accents dropped (é → e), anything else outside [A-Za-z0-9_.-] becomes "_", and no leading dot.
  const plain = filename.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const ascii = plain.replace(/[^\w.-]+/g, "_").replace(/^\.+/, "") || "download";
  if (ascii === filename) return `attachment; filename="${ascii}"`;
  const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, hex);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
