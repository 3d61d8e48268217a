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
const CJK_RANGES = ["\u2e80-\u2fdf", "\u3000-\u30ff", "\u3190-\u31ff", "\u3400-\u4dbf", "\u4e00-\u9fff", "\uf900-\ufaff"];
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

/** Sets the font that can draw `text` (bold or not) on `doc`, and returns the doc for chaining. */
export function withFontFor(doc: PDFKit.PDFDocument, text: string, { bold = false } = {}): PDFKit.PDFDocument {
  const name: FontName = `${CJK.test(text) ? "cjk" : "text"}${bold ? "-bold" : ""}` as FontName;
  const known = registered.get(doc) ?? new Set<FontName>();
  if (!known.has(name)) {
    doc.registerFont(name, fontBytes(name));
    known.add(name);
    registered.set(doc, known);
  }
  return doc.font(name);
}
