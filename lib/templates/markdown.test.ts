import { describe, expect, it } from "vitest";
import { htmlToPlainText, linkTargets, renderMarkdown } from "./markdown";

const tagsOf = (html: string) => [...new Set([...html.matchAll(/<([a-z0-9]+)[\s>/]/g)].map((match) => match[1]))];

describe("an organiser's Markdown in an email", () => {
  it("keeps raw HTML as text: no script, no image with a handler, no iframe", () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n<iframe src="https://x.example"></iframe>',
    );
    expect(tagsOf(html).sort()).toEqual(["a", "p"]);
    expect(html).toMatch(/&lt;iframe src="<a href="https:\/\/x.example"/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain('&lt;img src=x onerror="alert(1)"&gt;');
    expect(html).not.toMatch(/<script|<img|<iframe|<[^>]*onerror=/);
  });

  it("links only to http(s), mailto and tel: a javascript: or data: link stays text", () => {
    const html = renderMarkdown(
      "[a](javascript:alert(1)) [b](data:text/html;base64,PHNjcmlwdD4=) [c](JaVaScRiPt:alert(1)) " +
        "[d](vbscript:x) [e](https://example.org/e) [f](mailto:team@example.org) [g](tel:+33123456789) [h](/relative)",
    );
    expect([...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1])).toEqual([
      "https://example.org/e",
      "mailto:team@example.org",
      "tel:+33123456789",
    ]);
    expect(html).not.toMatch(/href="(javascript|data|vbscript):/i);
    expect(html).toContain("[a](javascript:alert(1))");
  });

  it("shows a link's real target when its text is an address or URL of somewhere else", () => {
    const html = renderMarkdown(
      "[https://bank.example/login](https://evil.example/steal) [www.bank.example](https://evil.example/) " +
        "[ceo@bank.example](mailto:thief@evil.example) [the schedule](https://conf.example/schedule) " +
        "[https://conf.example](https://conf.example/schedule)",
    );
    expect([...html.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((match) => match[1])).toEqual([
      "https://evil.example/steal",
      "https://evil.example/",
      "thief@evil.example",
      "the schedule",
      "https://conf.example",
    ]);
  });

  it("leaves an indented paragraph a paragraph, and renders no image, table or reference definition", () => {
    const html = renderMarkdown(
      "Doors open at 9.\n\n    Bring your ID.\n\n![logo](https://tracker.example/p.gif)\n\n" +
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n[site][s]\n\n[s]: https://example.org",
    );
    expect(tagsOf(html).sort()).toEqual(["a", "br", "p"]);
    expect(html).toContain(">Bring your ID.</p>");
    expect(html).not.toContain("<img");
  });

  it("writes each tag's style inline and turns headings into h2 and h3", () => {
    const html = renderMarkdown(
      "# Big\n\n#### Small\n\nSome **bold**, _em_, ~~gone~~ and `code`.\n\n- one\n- two\n\n1. first\n\n" +
        "> quoted\n\n---\n\nLine one\nline two [link](https://example.org)",
    );
    expect(tagsOf(html).sort()).toEqual(
      ["a", "blockquote", "br", "code", "em", "h2", "h3", "hr", "li", "ol", "p", "s", "strong", "ul"].sort(),
    );
    for (const tag of ["h2", "h3", "p", "ul", "ol", "li", "blockquote", "hr", "code", "a"]) {
      for (const match of html.matchAll(new RegExp(`<${tag}[ >/][^>]*`, "g"))) expect(match[0]).toContain('style="');
    }
    expect(html).toMatch(/<a href="https:\/\/example.org" style="color:#0b5cad;text-decoration:underline/);
    expect(html).toContain("Line one<br />");
    expect(html).not.toMatch(/class=|<style/);
  });

  it("gives a text part wrapped at 78 columns with each link's address, long addresses whole", () => {
    const long = `https://example.org/${"a".repeat(120)}`;
    const text = htmlToPlainText(
      renderMarkdown(`${"word ".repeat(60)}\n\nSee [the schedule](https://conf.example/schedule) and ${long}`),
    );
    const lines = text.split("\n");
    expect(lines.filter((line) => line.length > 78 && !line.includes(long))).toEqual([]);
    expect(text).toContain("the schedule [https://conf.example/schedule]");
    expect(lines).toContain(long);
  });

  it("lists every link target as written, refused ones included, for validation", () => {
    expect(
      linkTargets("[a](javascript:alert(1)) [b](/path) <https://example.org> [c](https://example.org)\n\n- [d](x)"),
    ).toEqual(["javascript:alert(1)", "/path", "https://example.org", "x"]);
  });
});
