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
