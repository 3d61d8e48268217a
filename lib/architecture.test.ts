import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// lib/ is the application's rules: it never reaches up into routes or UI, and its folders depend on each
// other in one direction only (foundations, then the domain, then the use cases on top), never in a circle.

const LIB = path.resolve("lib");
// Generated code is not the application's rules.
const OUTSIDE_THE_RULES = new Set(["generated"]);

function sourceFiles(dir: string, root = LIB): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return OUTSIDE_THE_RULES.has(name) && dir === root ? [] : sourceFiles(full, root);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function imports(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(IMPORT)].map((match) => match[1] ?? match[2]);
}

function folderOf(file: string): string {
  return path.relative(LIB, file).split(path.sep)[0];
}

function targetFolder(file: string, specifier: string): string | null {
  const resolved = specifier.startsWith("@/")
    ? path.resolve(specifier.slice(2))
    : specifier.startsWith(".")
      ? path.resolve(path.dirname(file), specifier)
      : null;
  if (!resolved || !resolved.startsWith(LIB + path.sep)) return null;
  return folderOf(resolved);
}

function edges(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(LIB)) {
    const from = folderOf(file);
    for (const specifier of imports(file)) {
      const to = targetFolder(file, specifier);
      if (!to || to === from || OUTSIDE_THE_RULES.has(to) || !statSync(path.join(LIB, from)).isDirectory()) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** Edges that lie on a cycle: from → to where `to` can reach `from` again. */
function circularEdges(graph: Map<string, Set<string>>): string[] {
  const reaches = (start: string, goal: string) => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === goal) return true;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...(graph.get(node) ?? []));
    }
    return false;
  };
  return [...graph].flatMap(([from, targets]) =>
    [...targets].filter((to) => reaches(to, from)).map((to) => `${from} -> ${to}`),
  );
}

describe("lib/ as the application", () => {
  it("never imports routes or UI", () => {
    const upward = sourceFiles(LIB).flatMap((file) =>
      imports(file)
        .filter((specifier) => /^@\/(app|components)\//.test(specifier))
        .map((specifier) => `${path.relative(LIB, file)} imports ${specifier}`),
    );
    expect(upward).toEqual([]);
  });

  it("never bundles the development tools (local Stripe, embedded Postgres, test harness)", () => {
    const roots = ["lib", "app", "components"].map((folder) => path.resolve(folder));
    const intoDevtools = roots.flatMap((root) =>
      sourceFiles(root, root).flatMap((file) =>
        imports(file)
          .filter((specifier) => specifier.startsWith("@/devtools/") || /(^|\/)devtools\//.test(specifier))
          .map((specifier) => `${path.relative(".", file)} imports ${specifier}`),
      ),
    );
    expect(intoDevtools).toEqual([]);
  });

  it("has no cycle between lib/ folders", () => {
    expect(circularEdges(edges())).toEqual([]);
  });

  it("finds a cycle when there is one (the check itself)", () => {
    const graph = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["a"])],
    ]);
    expect(circularEdges(graph).sort()).toEqual(["a -> b", "b -> c", "c -> a"]);
  });
});
