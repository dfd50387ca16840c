import { describe, expect, it } from 'vitest';
import { renderText } from '../../../analyzer/report/index.js';
import { empty } from '../../../fixtures/reports/graphs/empty.js';
import { rich } from '../../../fixtures/reports/graphs/rich.js';
import { small } from '../../../fixtures/reports/graphs/small.js';

describe('renderText', () => {
  it('prints one line per finding, sorted by place, with rules in one column', () => {
    const lines = renderText(rich).split('\n').slice(0, rich.findings.length);
    expect(lines.map((line) => line.split(/\s{2,}/)[0])).toEqual([
      'src/broken.ts:3:14', 'src/crawler.ts:14:3', 'src/crawler.ts:19:21', 'src/fetch.ts:8:28', 'src/fetch.ts:12:5', 'src/track.ts:7:3', 'src/track.ts:11:3',
    ]);
    expect(new Set(lines.map((line) => line.indexOf(' no-') === -1 ? line.indexOf(' parse-') : line.indexOf(' no-'))).size).toBeLessThanOrEqual(2);
    expect(new Set(lines.map((line) => /^\S+\s+/.exec(line)?.[0].length)).size).toBe(1);
  });

  it('ends with counts by severity and rule and what the graph holds', () => {
    expect(renderText(small)).toBe(
      'src/audit.ts:7:3  no-floating-task  Promise from `saveAudit(...)` is never awaited, so its failure is lost. Await it, return it, or hand it to an ErrGroup.\n' +
        '\n' +
        '1 finding (1 error, 0 warnings) in 1 file\n' +
        '  no-floating-task  1\n' +
        'Task graph: 1 file, 2 async functions, 2 spawns (1 floating), 0 fan-outs (0 unbounded), 0 ErrGroups, 0 Semaphores, 0 signals.\n',
    );
  });

  it('says so when there is nothing to report', () => {
    expect(renderText(empty).split('\n')[0]).toBe('No findings.');
  });

  it('colours rules by severity only when asked', () => {
    expect(renderText(rich)).not.toContain('\u001b[');
    const coloured = renderText(rich, { color: true });
    expect(coloured).toContain('\u001b[31mno-floating-task      \u001b[0m');
    expect(coloured).toContain('\u001b[33mno-ignored-result     \u001b[0m');
    expect(coloured.replaceAll('\u001b[31m', '').replaceAll('\u001b[33m', '').replaceAll('\u001b[2m', '').replaceAll('\u001b[0m', '')).toBe(renderText(rich));
  });
});
