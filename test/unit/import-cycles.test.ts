/**
 * No import circles in the server code (api, infra, db, domain, activities, workflows, worker):
 * every relative import, type-only ones included (they tie modules together just as much for a
 * reader and for tooling), forms a graph that must have no cycle. Fails naming the circle, e.g.
 * `api/app.ts -> api/notes/router.ts -> api/app.ts` (what route files importing RouteContext
 * from app.ts used to make; they import it from api/context.ts now).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIRS = ['api', 'infra', 'db', 'domain', 'activities', 'workflows', 'worker'];
const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;
const DYNAMIC_RE = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a source file, resolved to .ts files (static, re-exports and dynamic). */
export function importsOf(file: string, source: string): string[] {
  const out: string[] = [];
  for (const re of [IMPORT_RE, DYNAMIC_RE]) {
    for (const m of source.matchAll(re)) {
      const target = path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts'));
      if (fs.existsSync(target)) out.push(target);
      else if (fs.existsSync(`${target}.ts`)) out.push(`${target}.ts`);
      else if (fs.existsSync(path.join(target, 'index.ts'))) out.push(path.join(target, 'index.ts'));
    }
  }
  return out;
}

/** Every elementary cycle found by a depth-first search (each reported once, from its first node). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

describe('import cycles', () => {
  it('the cycle finder reports a two-module circle and nothing for a chain', () => {
    expect(findCycles(new Map([['a', ['b']], ['b', ['a']]]))).toEqual([['a', 'b', 'a']]);
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('the parser sees type-only imports and re-exports', () => {
    const f = path.join(ROOT, 'api/notes/router.ts');
    expect(importsOf(f, "import type { RouteContext } from '../app.js';\nexport { x } from '../context.js';")).toEqual([path.join(ROOT, 'api/app.ts'), path.join(ROOT, 'api/context.ts')]);
  });

  it('server code has no import circle (api/app.ts and the route modules included)', () => {
    const files = DIRS.flatMap((d) => walk(path.join(ROOT, d)));
    const graph = new Map(files.map((f) => [f, importsOf(f, fs.readFileSync(f, 'utf8'))]));
    expect(graph.get(path.join(ROOT, 'api/app.ts'))!.length).toBeGreaterThan(10);
    const cycles = findCycles(graph).map((c) => c.map((f) => path.relative(ROOT, f)).join(' -> '));
    expect(cycles).toEqual([]);
  });
});
