import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../analyzer/report/index.js';
import { hostile, hostileSources, PAYLOAD } from '../../../fixtures/reports/graphs/hostile.js';
import { rich, richSources } from '../../../fixtures/reports/graphs/rich.js';

describe('renderHtml', () => {
  const html = renderHtml(hostile, { sources: hostileSources });

  it('lets no markup from the project through', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain(PAYLOAD);
    expect(html).not.toContain('onerror=window.__xss=1>');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=window.__xss=1&gt;');
  });

  it('escapes the embedded JSON so it cannot close its script element', () => {
    const json = /<script type="application\/json" id="taskscope-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.stringify(JSON.parse(json))).toContain(PAYLOAD.replace(/"/g, '\\"'));
  });

  it('allows only its own script by hash, and no requests', () => {
    const csp = /Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+';/);
    // Links to the rule docs navigate; nothing is loaded: no src, no <link>, no url() but the arrow marker's.
    expect(html).not.toMatch(/ src="|<link|url\((?!#arrow\))/);
  });

  it('shows the lines around a finding and marks its range', () => {
    const page = renderHtml(rich, { sources: richSources, context: 1 });
    expect(page).toContain('<span class="ln">8</span><span class="hit">    const response = await <mark>fetch(url)</mark>;</span>');
    expect(page).toContain('<span class="ln">7</span>  try {');
    expect(page).not.toContain('<span class="ln">6</span>  await hosts.acquire();');
    expect(renderHtml(rich)).not.toContain('class="excerpt"');
  });

  it('groups findings by rule and by file, and draws one picture per module', () => {
    const page = renderHtml(rich, { sources: richSources });
    expect(page.match(/<details class="group"/g)).toHaveLength(6 + 4);
    expect(page.match(/<details class="module"/g)).toHaveLength(3);
    expect(page.match(/class="node fanout unbounded finding"/g)).toHaveLength(2);
    expect(page.match(/class="node spawn floating finding"/g)).toHaveLength(1);
  });
});
