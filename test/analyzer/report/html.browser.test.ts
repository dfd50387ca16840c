import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskGraph } from '../../../analyzer/graph/types.js';
import { renderHtml } from '../../../analyzer/report/index.js';
import { hostile, hostileSources } from '../../../fixtures/reports/graphs/hostile.js';
import { rich, richSources } from '../../../fixtures/reports/graphs/rich.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.warn(`Skipping the HTML report's browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium).`);

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

describe.skipIf(!present)('renderHtml in Chromium', () => {
  let browser: Browser;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'taskscope-html-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function open(name: string, graph: TaskGraph, sources: Record<string, string>): Promise<Opened> {
    const file = join(folder, `${name}.html`);
    writeFileSync(file, renderHtml(graph, { sources }));
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (request.url() !== pathToFileURL(file).href) requests.push(request.url());
    });
    await page.goto(pathToFileURL(file).href);
    return { page, errors, requests };
  }

  it('shows the summary, toggles the grouping and opens a node, without errors or requests', async () => {
    const { page, errors, requests } = await open('rich', rich, richSources);
    expect(await page.textContent('#count-findings')).toBe('7');
    expect(await page.textContent('#count-spawns')).toBe('13');
    expect(await page.textContent('#count-fanouts')).toBe('4');
    expect(await page.isVisible('[data-grouping="rule"]')).toBe(true);
    await page.click('[data-group-by="file"]');
    expect(await page.isVisible('[data-grouping="file"]')).toBe(true);
    expect(await page.isVisible('[data-grouping="rule"]')).toBe(false);
    await page.click('[data-grouping="file"] ol.chain button >> nth=0');
    expect(await page.isVisible('#details')).toBe(true);
    await page.click('#module-0 .node.unbounded >> nth=0');
    expect(await page.textContent('#details h3')).toBe('urls.forEach(track)');
    expect(await page.locator('#module-0 .edge.active').count()).toBe(2);
    await page.click('[data-modules="closed"]');
    expect(await page.locator('details.module[open]').count()).toBe(0);
    await page.click('[data-modules="open"]');
    await page.screenshot({ path: join(tmpdir(), 'taskscope-report.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('runs none of the markup hidden in names, messages and sources', async () => {
    const { page, errors, requests } = await open('hostile', hostile, hostileSources);
    await page.click('.node.function');
    expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.textContent('#details h3')).toContain('</script><img src=x onerror=window.__xss=1>');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
