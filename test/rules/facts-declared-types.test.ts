import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { declaredPropertyType } from '../../rules/facts/declared-types.js';
import { inMemoryProgram } from './in-memory-program.js';

const SOURCE = `
  export interface Reply { readonly status: number; json(): Promise<unknown>; }
  declare const reply: Reply;
  reply.status;
  reply.json;
  reply.status;
`;

describe('declaredPropertyType', () => {
  it('answers each property of a type for itself, the same on every ask', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': SOURCE }, { lib: ['lib.es2023.d.ts'], types: [] });
    const accesses = main.statements.filter(ts.isExpressionStatement).map((statement) => statement.expression as ts.PropertyAccessExpression);
    const reply = checker.getTypeAtLocation(accesses[0]!.expression);
    const [status, json, statusAgain] = accesses.map((access) => declaredPropertyType(checker, reply, access.name));
    expect(checker.typeToString(status!)).toBe('number');
    expect(checker.typeToString(json!)).toBe('() => Promise<unknown>');
    expect(statusAgain).toBe(status);
  });

  it('gives nothing for a property the type does not declare', () => {
    const { checker, main } = inMemoryProgram({ '/app/main.ts': `${SOURCE}\n  (reply as any).missing;` }, { lib: ['lib.es2023.d.ts'], types: [] });
    const reply = checker.getTypeAtLocation((main.statements.find(ts.isExpressionStatement)!.expression as ts.PropertyAccessExpression).expression);
    expect(declaredPropertyType(checker, reply, ts.factory.createIdentifier('missing'))).toBeUndefined();
    expect(declaredPropertyType(checker, reply, ts.factory.createIdentifier('missing'))).toBeUndefined();
  });
});
