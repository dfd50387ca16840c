import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { memoizedTypesForFile } from '../../rules/utils/memoized-types.js';
import { inMemoryProgram } from './in-memory-program.js';

const SOURCE = `
  export function page(ids: readonly string[], start: number): string[] {
    for (let at = start; at < ids.length; at += 16) return ids.slice(at, at + 16);
    return [];
  }
`;

function sliceCall(main: ts.SourceFile): ts.CallExpression {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (!found && ts.isCallExpression(node)) found = node;
    ts.forEachChild(node, visit);
  };
  visit(main);
  return found!;
}

describe('memoizedTypesForFile', () => {
  it('gives the type the checker gives, asking the checker once per node', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': SOURCE }, { lib: ['lib.es2023.d.ts'], types: [] });
    const call = sliceCall(main);
    const expected = checker.typeToString(checker.getTypeAtLocation(call));
    const ask = vi.spyOn(checker, 'getTypeAtLocation');
    const memoized = memoizedTypesForFile(checker);
    const first = memoized.getTypeAtLocation(call);
    const again = memoized.getTypeAtLocation(call);
    expect(checker.typeToString(first)).toBe(expected);
    expect(again).toBe(first);
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('answers each node for itself', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': SOURCE }, { lib: ['lib.es2023.d.ts'], types: [] });
    const call = sliceCall(main);
    const memoized = memoizedTypesForFile(checker);
    expect(checker.typeToString(memoized.getTypeAtLocation(call))).toBe('string[]');
    expect(checker.typeToString(memoized.getTypeAtLocation(call.arguments[0]!))).toBe('number');
  });

  it('forgets its answers when it is asked for again, for the next file', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': SOURCE }, { lib: ['lib.es2023.d.ts'], types: [] });
    const call = sliceCall(main);
    const ask = vi.spyOn(checker, 'getTypeAtLocation');
    const first = memoizedTypesForFile(checker);
    first.getTypeAtLocation(call);
    first.getTypeAtLocation(call);
    expect(ask).toHaveBeenCalledTimes(1);
    memoizedTypesForFile(checker).getTypeAtLocation(call);
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('keeps its answers when asked again about the same file, and forgets them for another', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': SOURCE }, { lib: ['lib.es2023.d.ts'], types: [] });
    const call = sliceCall(main);
    const ask = vi.spyOn(checker, 'getTypeAtLocation');
    memoizedTypesForFile(checker, main).getTypeAtLocation(call);
    memoizedTypesForFile(checker, main).getTypeAtLocation(call);
    expect(ask).toHaveBeenCalledTimes(1);
    const other = ts.createSourceFile('/app/other.ts', 'export {};', ts.ScriptTarget.Latest);
    memoizedTypesForFile(checker, other);
    memoizedTypesForFile(checker, main).getTypeAtLocation(call);
    expect(ask).toHaveBeenCalledTimes(2);
    // without a file (an ESTree rule's create): always the next file
    memoizedTypesForFile(checker).getTypeAtLocation(call);
    expect(ask).toHaveBeenCalledTimes(3);
  });

  it('is one object per checker and leaves every other method to the checker', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': SOURCE }, { lib: ['lib.es2023.d.ts'], types: [] });
    const memoized = memoizedTypesForFile(checker);
    expect(memoizedTypesForFile(checker)).toBe(memoized);
    const call = sliceCall(main);
    expect(memoized.getResolvedSignature(call)).toBe(checker.getResolvedSignature(call));
    expect(memoized.typeToString(memoized.getTypeAtLocation(call))).toBe('string[]');
  });
});

describe('memoizedTypesForFile#getSymbolAtLocation', () => {
  it('gives the symbol the checker gives, asking once per node, also when there is none', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': SOURCE }, { lib: ['lib.es2023.d.ts'], types: [] });
    const call = sliceCall(main);
    const callee = call.expression as ts.PropertyAccessExpression;
    const ask = vi.spyOn(checker, 'getSymbolAtLocation');
    const memoized = memoizedTypesForFile(checker);
    expect(memoized.getSymbolAtLocation(callee.name)?.getName()).toBe('slice');
    expect(memoized.getSymbolAtLocation(callee.name)?.getName()).toBe('slice');
    expect(memoized.getSymbolAtLocation(call)).toBeUndefined();
    expect(memoized.getSymbolAtLocation(call)).toBeUndefined();
    expect(ask).toHaveBeenCalledTimes(2);
  });
});
