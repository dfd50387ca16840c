import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { enclosingFunction, enclosingFunctionLike, functionStart, isFunctionNode, isFunctionWithBody, isMethodLike } from '../../rules/native/functions.js';

function parse(source: string): ts.SourceFile {
  return ts.createSourceFile('/app/main.ts', source, ts.ScriptTarget.ES2023, true);
}

function find(file: ts.SourceFile, test: (node: ts.Node) => boolean): ts.Node {
  const visit = (node: ts.Node): ts.Node | undefined => (test(node) ? node : ts.forEachChild(node, visit));
  const found = visit(file);
  if (!found) throw new Error('no such node in the test source');
  return found;
}

function kindIn(source: string, kind: ts.SyntaxKind): ts.Node {
  return find(parse(source), (node) => node.kind === kind);
}

function identifierIn(file: ts.SourceFile, text: string): ts.Identifier {
  return find(file, (node) => ts.isIdentifier(node) && node.text === text) as ts.Identifier;
}

function callIn(file: ts.SourceFile, callee: string): ts.CallExpression {
  return find(file, (node) => ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === callee) as ts.CallExpression;
}

describe('isFunctionNode', () => {
  it('takes every function kind, with a body or without', () => {
    expect(isFunctionNode(kindIn('function f(): void;', ts.SyntaxKind.FunctionDeclaration))).toBe(true);
    expect(isFunctionNode(kindIn('abstract class C { abstract m(): void; }', ts.SyntaxKind.MethodDeclaration))).toBe(true);
    expect(isFunctionNode(kindIn('const f = () => 1;', ts.SyntaxKind.ArrowFunction))).toBe(true);
    expect(isFunctionNode(kindIn('class C { get x() { return 1; } }', ts.SyntaxKind.GetAccessor))).toBe(true);
  });

  it('leaves out signatures and function types', () => {
    expect(isFunctionNode(kindIn('interface I { m(): void }', ts.SyntaxKind.MethodSignature))).toBe(false);
    expect(isFunctionNode(kindIn('type F = () => void;', ts.SyntaxKind.FunctionType))).toBe(false);
  });
});

describe('isFunctionWithBody', () => {
  it('takes a function with a body, an arrow with an expression body included', () => {
    expect(isFunctionWithBody(kindIn('const f = () => 1;', ts.SyntaxKind.ArrowFunction))).toBe(true);
    expect(isFunctionWithBody(kindIn('class C { constructor() {} }', ts.SyntaxKind.Constructor))).toBe(true);
  });

  it('leaves out overload signatures and abstract methods', () => {
    expect(isFunctionWithBody(kindIn('function f(): void;', ts.SyntaxKind.FunctionDeclaration))).toBe(false);
    expect(isFunctionWithBody(kindIn('abstract class C { abstract m(): void; }', ts.SyntaxKind.MethodDeclaration))).toBe(false);
  });
});

describe('isMethodLike', () => {
  it('tells members from arrows and function expressions', () => {
    expect(isMethodLike(kindIn('class C { set x(v: number) {} }', ts.SyntaxKind.SetAccessor) as ts.SetAccessorDeclaration)).toBe(true);
    expect(isMethodLike(kindIn('const f = function () {};', ts.SyntaxKind.FunctionExpression) as ts.FunctionExpression)).toBe(false);
  });
});

describe('enclosingFunction', () => {
  it('leaves a method’s decorators and computed name outside the method', () => {
    const file = parse('function outer() { class C { @log(mark()) [key()]() { inside(); } } }');
    const outer = file.statements[0];
    expect(enclosingFunction(callIn(file, 'mark'))).toBe(outer);
    expect(enclosingFunction(callIn(file, 'key'))).toBe(outer);
    expect(enclosingFunction(callIn(file, 'inside'))).toBe(find(file, ts.isMethodDeclaration));
  });

  it('puts a parameter’s default in the function', () => {
    const file = parse('function f(x = read()) {}');
    expect(enclosingFunction(callIn(file, 'read'))).toBe(file.statements[0]);
  });

  it('skips a function without a body', () => {
    const file = parse('function outer() { function f(x?: number, y = read()): void; }');
    expect(enclosingFunction(callIn(file, 'read'))).toBe(file.statements[0]);
  });

  it('answers undefined in a class field at module level', () => {
    const file = parse('class C { field = read(); }');
    expect(enclosingFunction(callIn(file, 'read'))).toBeUndefined();
  });
});

describe('enclosingFunctionLike', () => {
  it('stops at a function type', () => {
    const file = parse('function f() { const p = load(); let g: (x: typeof p) => void; }');
    const p = find(file, ts.isTypeQueryNode) as ts.TypeQueryNode;
    expect(enclosingFunctionLike(p.exprName)).toBe(find(file, ts.isFunctionTypeNode));
    expect(enclosingFunction(p.exprName)).toBe(file.statements[0]);
  });

  it('counts a method’s decorators in the method', () => {
    const file = parse('class C { @log(mark()) m() {} }');
    expect(enclosingFunctionLike(callIn(file, 'mark'))).toBe(find(file, ts.isMethodDeclaration));
  });

  it('answers undefined at module level', () => {
    const file = parse('const x = 1;');
    expect(enclosingFunctionLike(identifierIn(file, 'x'))).toBeUndefined();
  });
});

describe('functionStart', () => {
  it('starts a method at its parameter list, after its decorators and name', () => {
    const source = 'class C { @log m(a: number) {} }';
    const file = parse(source);
    const method = find(file, ts.isMethodDeclaration) as ts.MethodDeclaration;
    expect(functionStart(file, method)).toBe(source.indexOf('(a'));
  });

  it('starts an arrow at its first token', () => {
    const source = 'const f = async (a: number) => a;';
    const file = parse(source);
    expect(functionStart(file, find(file, ts.isArrowFunction) as ts.ArrowFunction)).toBe(source.indexOf('async'));
  });
});
