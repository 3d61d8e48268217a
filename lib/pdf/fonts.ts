import { readFileSync } from "node:fs";
import path from "node:path";

// PDF's standard fonts speak WinAnsi only: Łukasz, Dvořák, Ελένη or Юлия came out garbled. DejaVu
// Sans covers Latin, Greek and Cyrillic; Noto Sans SC covers Chinese ideographs and Japanese kana.
// pdfkit embeds only the glyphs a document uses. Korean Hangul is in neither (README: limitations).
const FILES = {
  text: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  "text-bold": "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
  cjk: "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf",
  "cjk-bold": "@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf",
} as const;

type FontName = keyof typeof FILES;

// CJK radicals and punctuation, kana, ideographs (and their extensions), full-width forms.
const CJK_RANGES = [
  "\u2e80-\u2fdf",
  "\u3000-\u30ff",
  "\u3190-\u31ff",
  "\u3400-\u4dbf",
  "\u4e00-\u9fff",
  "\uf900-\ufaff",
];
const CJK = new RegExp(`[${CJK_RANGES.join("")}\\uff00-\\uffef\\u{20000}-\\u{3134f}]`, "u");

const loaded = new Map<FontName, Buffer>();

// Read once per process, from the installed packages (the CJK file is 10 MB: only when needed).
function fontBytes(name: FontName): Buffer {
  let bytes = loaded.get(name);
  if (!bytes) {
    bytes = readFileSync(path.join(process.cwd(), "node_modules", FILES[name]));
    loaded.set(name, bytes);
  }
  return bytes;
}

const registered = new WeakMap<PDFKit.PDFDocument, Set<FontName>>();

function useFont(doc: PDFKit.PDFDocument, name: FontName): PDFKit.PDFDocument {
  const known = registered.get(doc) ?? new Set<FontName>();
  if (!known.has(name)) {
    doc.registerFont(name, fontBytes(name));
    known.add(name);
    registered.set(doc, known);
  }
  return doc.font(name);
}

/**
 * `text` cut where it changes script: ideographs and kana go to Noto Sans SC, the rest (Latin, Greek, Cyrillic)
 * to DejaVu Sans, since neither font has the other's letters ("Ŝtelo 東京" needs both). Spaces stay in the run
 * they follow.
 */
export function fontRuns(text: string, { bold = false } = {}): { text: string; font: FontName }[] {
  const runs: { text: string; font: FontName }[] = [];
  for (const character of text) {
    const last = runs[runs.length - 1];
    const font = `${CJK.test(character) ? "cjk" : "text"}${bold ? "-bold" : ""}` as FontName;
    if (last && (last.font === font || /\s/.test(character))) last.text += character;
    else runs.push({ text: character, font });
  }
  return runs;
}

/** The bytes of one of the fonts, for tests that check which glyphs it has. */
export function fontFile(name: FontName): Buffer {
  return fontBytes(name);
}

/**
 * Writes `text` at (x, y), or where the document stands, each run in a font that has its glyphs; the runs
 * follow each other on the line as one text (pdfkit's `continued`).
 */
export function writeText(
  doc: PDFKit.PDFDocument,
  text: string,
  { x, y, bold = false, ...options }: PDFKit.Mixins.TextOptions & { x?: number; y?: number; bold?: boolean },
): PDFKit.PDFDocument {
  const runs = fontRuns(text, { bold });
  runs.forEach((run, index) => {
    useFont(doc, run.font);
    const continued = index < runs.length - 1;
    if (index === 0 && x !== undefined) doc.text(run.text, x, y, { ...options, continued });
    else doc.text(run.text, { ...options, continued });
  });
  return doc;
}
