import { inflateSync } from "node:zlib";

/**
 * What a PDF viewer can know of a document's text without rendering it: the fonts it embeds
 * (their BaseFont names and whether a font file is there) and every character the fonts'
 * ToUnicode maps give back, which is what copy, search and screen readers see.
 */
export function pdfFontFacts(pdf: Buffer): { baseFonts: string[]; embeddedFiles: number; characters: Set<string> } {
  const text = pdf.toString("latin1");
  const baseFonts = [...text.matchAll(/\/BaseFont \/([A-Za-z0-9+_-]+)/g)].map((match) => match[1]);
  const embeddedFiles = text.match(/\/FontFile2 \d+ 0 R/g)?.length ?? 0;
  const characters = new Set<string>();
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = text.indexOf("endstream", start);
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start, end)).toString("latin1");
    } catch {
      continue;
    }
    if (!body.includes("begincmap")) continue;
    for (const hex of body.slice(body.indexOf("beginbfrange")).matchAll(/<([0-9a-fA-F]{4,})>/g)) {
      if (hex[1].length % 4 !== 0) continue;
      characters.add(Buffer.from(hex[1], "hex").swap16().toString("utf16le"));
    }
  }
  return { baseFonts, embeddedFiles, characters };
}

/**
 * The text a PDF written by pdfkit shows, one line per text line on the page (pieces drawn at the same height
 * are joined with a space, left to right, so a line that changes font mid-way gets a space there), each glyph
 * given back through its font's ToUnicode map. It reads pdfkit's own layout (uncompressed dictionaries, Flate
 * streams, two-byte glyph codes), not any PDF.
 */
export function pdfText(pdf: Buffer): string {
  const text = pdf.toString("latin1");
  const objects = pdfObjects(pdf);
  const fonts = new Map<string, Map<string, string>>();
  for (const [, name, id] of text.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const unicode = objects.get(id)?.dictionary.match(/\/ToUnicode (\d+) 0 R/)?.[1];
    const cmap = unicode ? objects.get(unicode)?.stream?.toString("latin1") : undefined;
    if (cmap) fonts.set(name, toUnicodeMap(cmap));
  }
  const pieces: { page: number; y: number; x: number; text: string }[] = [];
  let page = 0;
  for (const { dictionary } of objects.values()) {
    if (!/\/Type \/Page\b/.test(dictionary)) continue;
    page += 1;
    const contents = dictionary.match(/\/Contents (\d+) 0 R/)?.[1];
    const content = contents ? (objects.get(contents)?.stream?.toString("latin1") ?? "") : "";
    let font = new Map<string, string>();
    let x = 0;
    let y = 0;
    for (const op of content.matchAll(/([\d.-]+) ([\d.-]+) Tm|\/(F\d+) [\d.]+ Tf|(\[[^\]]*\]) TJ|<([0-9a-f]*)> Tj/gi)) {
      if (op[1] !== undefined) [x, y] = [Number(op[1]), Number(op[2])];
      else if (op[3] !== undefined) font = fonts.get(op[3]) ?? new Map();
      else {
        const hexes = op[4] ? [...op[4].matchAll(/<([0-9a-f]*)>/gi)].map((hex) => hex[1]) : [op[5]];
        const decoded = hexes
          .join("")
          .match(/.{4}/g)
          ?.map((code) => font.get(code.toLowerCase()) ?? "\ufffd")
          .join("");
        pieces.push({ page, y, x, text: decoded ?? "" });
      }
    }
  }
  const lines = new Map<string, typeof pieces>();
  for (const piece of pieces) {
    const key = `${piece.page}:${Math.round(piece.y)}`;
    lines.set(key, [...(lines.get(key) ?? []), piece]);
  }
  return [...lines.values()]
    .map((line) =>
      line
        .sort((a, b) => a.x - b.x)
        .map((piece) => piece.text)
        .join(" "),
    )
    .join("\n");
}

function toUnicodeMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const range of cmap.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/gi)) {
    const start = parseInt(range[1], 16);
    // A ligature's target is several code points, which pdfkit writes spaced: <0066 0066 0069> ("ffi").
    [...range[3].matchAll(/<([0-9a-f\s]*)>/gi)].forEach((target, offset) => {
      const code = (start + offset).toString(16).padStart(4, "0");
      map.set(code, Buffer.from(target[1].replace(/\s/g, ""), "hex").swap16().toString("utf16le"));
    });
  }
  return map;
}

type PdfObject = { dictionary: string; stream: Buffer | null };

/** A pdfkit PDF's objects by number: the dictionary's text and the stream's bytes (inflated when compressed). */
function pdfObjects(pdf: Buffer): Map<string, PdfObject> {
  const text = pdf.toString("latin1");
  const objects = new Map<string, PdfObject>();
  for (const match of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = match[2];
    const at = body.search(/stream\r?\n/);
    let stream: Buffer | null = null;
    if (at >= 0) {
      const start = match.index + match[0].indexOf(body) + at + body.slice(at).indexOf("\n") + 1;
      const raw = pdf.subarray(start, text.indexOf("endstream", start));
      try {
        stream = inflateSync(raw);
      } catch {
        stream = raw;
      }
    }
    objects.set(match[1], { dictionary: at >= 0 ? body.slice(0, at) : body, stream });
  }
  return objects;
}

/** The files a PDF embeds (PDF/A-3 attachments such as Factur-X's XML), with their file specification. */
export function pdfEmbeddedFiles(
  pdf: Buffer,
): { name: string; relationship: string | null; subtype: string | null; contents: Buffer }[] {
  const objects = pdfObjects(pdf);
  return [...objects.values()]
    .filter(({ dictionary }) => /\/Type \/Filespec\b/.test(dictionary))
    .map(({ dictionary }) => {
      const file = objects.get(dictionary.match(/\/EF <<\s*\/F (\d+) 0 R/)?.[1] ?? "");
      return {
        name: dictionary.match(/\/UF \(([^)]*)\)/)?.[1] ?? "",
        relationship: dictionary.match(/\/AFRelationship \/(\w+)/)?.[1] ?? null,
        subtype: file?.dictionary.match(/\/Subtype \/([^\s/>]+)/)?.[1] ?? null,
        contents: file?.stream ?? Buffer.alloc(0),
      };
    });
}
