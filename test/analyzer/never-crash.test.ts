/**
 * Never crash: `analyze()` runs over code nobody wrote for it and must resolve, with every finding well formed.
 * Two projects: this repository's own tsconfig, and one made of every `.ts` file under node_modules. The analyzer
 * skips declaration files (they start no tasks), so a deterministic sample of them is also copied in as plain `.ts`
 * sources: bodiless functions, overloads, ambient modules and namespaces then go through the collectors and the rules.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, type TaskGraph } from '../../analyzer/index.js';

const root = resolve(import.meta.dirname, '../..');
/** Every n-th declaration file (in sorted path order, so the sample is the same wherever the lockfile is) becomes a source. */
const DECLARATION_STRIDE = 16;
// In the repository, not the OS temp folder, so module resolution from the copies still finds node_modules; the
// tsconfig sits at the root so every reported path is a plain relative one (`node_modules/…`).
const temp = mkdtempSync(join(root, '.tmp-never-crash-'));
const tsconfig = `${temp}.tsconfig.json`;
afterAll(() => {
  rmSync(temp, { recursive: true, force: true });
  rmSync(tsconfig, { force: true });
});

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile() && /\.[cm]?ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Findings a reporter can place (a relative POSIX path inside the root, 1-based positions, a message); edges between known nodes. */
function expectWellFormed(graph: TaskGraph): void {
  for (const finding of graph.findings) {
    expect(finding.file, JSON.stringify(finding)).toMatch(/^(?!\/)(?!\.\.\/)[^\\]+$/);
    expect(finding.line).toBeGreaterThanOrEqual(1);
    expect(finding.column).toBeGreaterThanOrEqual(1);
    expect(finding.message.length).toBeGreaterThan(0);
  }
  const ids = new Set(graph.nodes.map((node) => node.id));
  expect(ids.size).toBe(graph.nodes.length);
  for (const edge of graph.edges) expect(ids.has(edge.from) && ids.has(edge.to), JSON.stringify(edge)).toBe(true);
}

describe('analyze', () => {
  it("never throws on this repository's own sources", async () => {
    const graph = await analyze({ project: join(root, 'tsconfig.json') });
    expect(graph.summary.files).toBeGreaterThan(50);
    expect(graph.nodes.length).toBeGreaterThan(0);
    expectWellFormed(graph);
  }, 120_000);

  it('never throws on a project of every .ts file under node_modules', async () => {
    const files = walk(join(root, 'node_modules')).sort();
    const declarations = files.filter((file) => /\.d\.[cm]?ts$/.test(file));
    const sources = files.length - declarations.length;
    expect(declarations.length).toBeGreaterThan(100);
    mkdirSync(join(temp, 'as-source'));
    const copies = declarations
      .filter((_, index) => index % DECLARATION_STRIDE === 0)
      .map((file, index) => {
        // `x.d.mts` becomes `x.mts`; a `.d.` left inside the name (`env.d.Crs1.d.ts`) would still mean a declaration file.
        const name = file.split('/').at(-1)!.replace(/\.d\.([cm]?ts)$/, '.$1').replaceAll('.d.', '-d-');
        const copy = join(temp, 'as-source', `${index}-${name}`);
        copyFileSync(file, copy);
        return copy;
      });
    writeFileSync(
      tsconfig,
      JSON.stringify({
        compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: [...files, ...copies].map((file) => relative(root, file)),
      }),
    );
    const graph = await analyze({ project: tsconfig });
    expect(graph.summary.files).toBe(sources + copies.length);
    expectWellFormed(graph);
  }, 120_000);
});
