/**
 * The published package, as a user gets it: build, `npm pack`, install the tarball into a fresh project, then
 * import every export, typecheck against the shipped declarations, and run real Vitest with `taskscope/vitest`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
  bin?: Record<string, string>;
};

let project: string;

async function sh(cmd: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd, env: { ...process.env, CI: 'true' }, maxBuffer: 16 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'taskscope-pack-'));
  const built = await sh('npm', ['run', 'build'], root);
  expect(built.code, built.stderr).toBe(0);
  const packed = await sh('npm', ['pack', '--silent', '--pack-destination', project], root);
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = join(project, packed.stdout.trim().split('\n').pop()!);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const installed = await sh('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', tarball], project);
  expect(installed.code, installed.stderr).toBe(0);
  // Peers (Vitest, TypeScript, ESLint, typescript-eslint, ts-morph) come from this repository rather than the registry: the
  // test checks our package, not theirs.
  for (const dep of ['vitest', 'typescript', '@types', 'eslint', '@typescript-eslint', 'ts-morph', '@ts-morph']) {
    symlinkSync(join(root, 'node_modules', dep), join(project, 'node_modules', dep));
  }
}, 180_000);

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships only dist, the bin launcher, the README and package.json', async () => {
    const { stdout } = await sh('npm', ['pack', '--dry-run', '--json'], root);
    const files = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('bin/taskscope.js');
    expect(files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', 'bin/taskscope.js'].includes(f))).toEqual([]);
    expect(files.some((f) => f.includes('.test.'))).toBe(false);
  });

  it('imports every runtime export from the installed tarball', async () => {
    const specifiers = Object.keys(pkg.exports)
      .filter((key) => key !== './package.json' && key !== './vitest')
      .map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
    const script = [
      ...specifiers.map((s, i) => `import * as m${i} from '${s}';`),
      `import meta from '${pkg.name}/package.json' with { type: 'json' };`,
      `const mods = { ${specifiers.map((s, i) => `'${s}': Object.keys(m${i}).sort()`).join(', ')} };`,
      'console.log(JSON.stringify({ mods, version: meta.version }));',
    ].join('\n');
    writeFileSync(join(project, 'imports.mjs'), script);
    const result = await sh('node', ['imports.mjs'], project);
    expect(result.code, result.stderr).toBe(0);
    const { mods } = JSON.parse(result.stdout) as { mods: Record<string, string[]> };
    expect(mods['taskscope']).toEqual(expect.arrayContaining(['ErrGroup', 'Semaphore', 'Result', 'ok', 'err', 'dump']));
    expect(mods['taskscope/runtime']).toEqual(mods['taskscope']);
    expect(mods['taskscope/analyzer']).toEqual(expect.arrayContaining(['analyze', 'AnalyzerError']));
    expect(mods['taskscope/eslint-plugin']).toEqual(expect.arrayContaining(['default', 'rules']));
    expect(mods['taskscope/testing']).toEqual(expect.arrayContaining(['findLeaks', 'verifyNoLeaks', 'installLeakDetector', 'ignoreTaskNamed', 'ignoreCreatedIn', 'ignoreCurrent']));
  });

  it('typechecks a consumer against the shipped declarations', async () => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', lib: ['ES2023', 'ESNext.Disposable'], strict: true, noEmit: true, types: ['node'] },
      include: ['consumer.ts'],
    }));
    writeFileSync(join(project, 'consumer.ts'), [
      "import { ErrGroup, Semaphore, Result, ok, err } from 'taskscope';",
      "import { verifyNoLeaks, ignoreTaskNamed } from 'taskscope/testing';",
      'const group = new ErrGroup({ limit: 2, name: "g" });',
      'group.go(async (signal: AbortSignal) => { signal.throwIfAborted(); });',
      'const sem = new Semaphore(3);',
      'const permit = await sem.acquire(2);',
      'permit.release();',
      'await group.wait();',
      'const r: Result<number, string> = Math.random() > 2 ? ok(1) : err("no");',
      'const n: number = r.isOk() ? r.value : r.error.length;',
      'await verifyNoLeaks({ ignore: [ignoreTaskNamed("x")] });',
      'export { n };',
    ].join('\n'));
    const result = await sh(join(project, 'node_modules', 'typescript', 'bin', 'tsc'), ['-p', 'tsconfig.json'], project);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('lints a consumer with the packed ESLint plugin and its recommended config', async () => {
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'eslint.config.mjs'), [
      "import parser from '@typescript-eslint/parser';",
      "import taskscope from 'taskscope/eslint-plugin';",
      'export default [',
      "  { files: ['src/**/*.ts'], languageOptions: { parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },",
      "  { files: ['src/**/*.ts'], ...taskscope.configs.recommended },",
      '];',
    ].join('\n'));
    writeFileSync(join(project, 'src', 'audit.ts'), [
      'declare function saveAudit(entry: string): Promise<void>;',
      'export function handle(entry: string): void {',
      '  saveAudit(entry);',
      '}',
    ].join('\n'));
    writeFileSync(join(project, 'src', 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', strict: true, noEmit: true, types: [] },
      include: ['*.ts'],
    }));
    const result = await sh('node', [join(project, 'node_modules', 'eslint', 'bin', 'eslint.js'), 'src', '--format', 'json'], project);
    expect(result.code, result.stderr).toBe(1);
    const [report] = JSON.parse(result.stdout) as [{ messages: { ruleId: string; line: number }[] }];
    expect(report.messages.map((m) => `${m.ruleId}:${m.line}`)).toEqual(['taskscope/no-floating-task:3']);
  });

  it('runs the installed taskscope bin on a consumer project', async () => {
    mkdirSync(join(project, 'app'), { recursive: true });
    writeFileSync(join(project, 'app', 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', strict: true, noEmit: true, types: [] },
      include: ['*.ts'],
    }));
    writeFileSync(join(project, 'app', 'jobs.ts'), [
      'declare function sendMail(to: string): Promise<void>;',
      'export function notify(users: string[]): void {',
      '  for (const user of users) sendMail(user);',
      '}',
    ].join('\n'));
    const result = await sh(join(project, 'node_modules', '.bin', 'taskscope'), ['analyze', '--project', 'app/tsconfig.json', '--format', 'json', '--quiet'], project);
    expect(result.code, result.stderr).toBe(1);
    const graph = JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; line: number }[] };
    expect(graph.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toContain('no-floating-task jobs.ts:3');
    const version = await sh(join(project, 'node_modules', '.bin', 'taskscope'), ['--version'], project);
    expect(version.stdout.trim()).toContain((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('fails a leaking test through the taskscope/vitest setup entry', async () => {
    mkdirSync(join(project, 'spec'));
    writeFileSync(join(project, 'vitest.config.mjs'), "export default { test: { include: ['spec/**/*.test.mjs'], setupFiles: ['taskscope/vitest'] } };\n");
    writeFileSync(join(project, 'spec', 'leak.test.mjs'), [
      "import { test } from 'vitest';",
      "import { ErrGroup } from 'taskscope';",
      "test('clean', async () => { const g = new ErrGroup(); g.go(async () => 1); await g.wait(); });",
      "test('leaky', () => { const g = new ErrGroup({ name: 'forgotten' }); g.go(() => new Promise(() => {}), { name: 'hangs' }); });",
    ].join('\n'));
    const result = await sh('node', [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], project);
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(1);
    expect(output).toMatch(/1 passed/);
    expect(output).toMatch(/1 failed/);
    expect(output).toContain('leak');
    expect(output).toContain('"hangs"');
    expect(output).toContain('"forgotten"');
  });
});
