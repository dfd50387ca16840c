import { describe, expect, it } from 'vitest';
import { findUnownedExports } from '../../../analyzer/graph/find-unowned-exports.js';
import { fn, labels, spawn } from './graphs.js';

describe('findUnownedExports', () => {
  const saveAudit = fn('src/audit.ts', 1, 'saveAudit', { exported: true });
  const floating = spawn('src/routes.ts', 4, 'saveAudit(a)', { callee: saveAudit.id });
  const voided = spawn('src/routes.ts', 8, 'saveAudit(b)', { callee: saveAudit.id, owned: 'void' });

  it('reports an exported async function whose every call in other modules drops the promise, at the function', () => {
    const [found, ...rest] = findUnownedExports({ nodes: [saveAudit, floating, voided], edges: [] });
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ ruleId: 'no-floating-task', origin: 'graph', file: 'src/audit.ts', line: 1, column: 1 });
    expect(labels(found!)).toEqual(['saveAudit(a)', 'saveAudit(b)', 'saveAudit']);
    expect(found!.message).toContain('all 2 of its calls in another module');
  });

  it('lists the first five dropping calls in the chain, and says so when there are more', () => {
    const calls = Array.from({ length: 7 }, (_, index) => spawn('src/routes.ts', 10 + index, `saveAudit(${index})`, { callee: saveAudit.id }));
    const [found] = findUnownedExports({ nodes: [saveAudit, ...calls], edges: [] });
    expect(labels(found!)).toEqual(['saveAudit(0)', 'saveAudit(1)', 'saveAudit(2)', 'saveAudit(3)', 'saveAudit(4)', 'saveAudit']);
    expect(found!.message).toContain('all 7 of its calls in another module');
    expect(found!.message).toMatch(/The chain lists the first 5\.$/);
    const [few] = findUnownedExports({ nodes: [saveAudit, ...calls.slice(0, 5)], edges: [] });
    expect(few!.message).not.toContain('The chain lists');
  });

  it('stays quiet when one call in another module owns the promise', () => {
    const awaited = spawn('src/jobs.ts', 2, 'saveAudit(c)', { callee: saveAudit.id, owned: 'await' });
    expect(findUnownedExports({ nodes: [saveAudit, floating, awaited], edges: [] })).toEqual([]);
  });

  it('stays quiet when every call in another module discards the promise with an explicit void', () => {
    const alsoVoided = spawn('src/jobs.ts', 3, 'saveAudit(e)', { callee: saveAudit.id, owned: 'void' });
    expect(findUnownedExports({ nodes: [saveAudit, voided, alsoVoided], edges: [] })).toEqual([]);
  });

  it('stays quiet for an exported function no other module of the project calls (a library entry point)', () => {
    expect(findUnownedExports({ nodes: [saveAudit], edges: [] })).toEqual([]);
  });

  it('ignores calls in the function’s own module', () => {
    const local = spawn('src/audit.ts', 9, 'saveAudit(d)', { callee: saveAudit.id });
    expect(findUnownedExports({ nodes: [saveAudit, local], edges: [] })).toEqual([]);
  });

  it('ignores functions that are not exported', () => {
    const internal = { ...saveAudit, exported: false };
    expect(findUnownedExports({ nodes: [internal, floating], edges: [] })).toEqual([]);
  });
});
