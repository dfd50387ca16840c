/** The HTML report's stylesheet: system fonts only, so the file needs no network. */
export const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--red:#cf222e;--red-bg:#ffebe9;--amber:#9a6700;--amber-bg:#fff8c5;--blue:#0969da;--violet:#8250df;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1f2328;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:20px;font-weight:600}header h1 span{color:#9198a1;font-weight:400}
header p{margin:4px 0 0;color:#9198a1;font-family:var(--mono);font-size:12px}
main{max-width:1280px;margin:0 auto;padding:24px 32px 80px}
h2{font-size:17px;margin:32px 0 12px;display:flex;align-items:center;gap:12px}
code,pre,.loc,.rule,.file{font-family:var(--mono);font-size:12.5px}
code{background:rgba(175,184,193,.2);padding:1px 4px;border-radius:4px}
.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;display:flex;flex-direction:column}
.card b{font-size:26px;line-height:1.1}.card span{color:var(--muted)}.card small{color:var(--muted)}
.card.hot{border-color:var(--red);box-shadow:inset 4px 0 0 var(--red)}
.error{color:var(--red)}.warning{color:var(--amber)}
.by-rule{list-style:none;padding:0;margin:16px 0 0;display:grid;gap:4px;max-width:640px}
.by-rule li{display:grid;grid-template-columns:210px 1fr 30px;align-items:center;gap:10px}
.by-rule .bar{height:10px;background:var(--red);border-radius:5px;opacity:.75}.by-rule b{text-align:right}
.toggle{display:inline-flex;border:1px solid var(--line);border-radius:6px;overflow:hidden;font-size:12px}
.toggle button,.tools button{font:inherit;border:0;background:var(--card);padding:4px 10px;cursor:pointer;color:var(--fg)}
.toggle button[aria-pressed=true]{background:var(--fg);color:#fff}
details.group,details.module{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:0 0 12px}
details>summary{padding:10px 14px;cursor:pointer;font-weight:600;display:flex;align-items:center;gap:8px;list-style:none}
details>summary::-webkit-details-marker{display:none}
details>summary:before{content:"▸";color:var(--muted);width:10px}details[open]>summary:before{content:"▾"}
details>summary small{font-weight:400;color:var(--muted)}
.count{background:var(--bg);border:1px solid var(--line);border-radius:10px;padding:0 8px;font-size:12px}
ol.findings{list-style:none;margin:0;padding:0 14px 4px}
.finding{border-top:1px solid var(--line);padding:12px 0}.finding.sev-error{box-shadow:inset 3px 0 0 var(--red);padding-left:14px}.finding.sev-warning{box-shadow:inset 3px 0 0 #d4a72c;padding-left:14px}
.head{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.badge{font-size:11px;font-weight:600;text-transform:uppercase;border-radius:4px;padding:0 6px}
.badge.error{background:var(--red-bg);color:var(--red)}.badge.warning{background:var(--amber-bg);color:var(--amber)}
a.rule{color:var(--blue);text-decoration:none}.origin{font-size:11px;color:var(--violet);border:1px solid var(--violet);border-radius:10px;padding:0 6px}
.msg{margin:6px 0}
ol.chain{display:flex;flex-wrap:wrap;gap:4px 0;list-style:none;padding:0;margin:6px 0}
ol.chain li{display:flex;align-items:center;gap:4px}ol.chain li+li:before{content:"→";color:var(--muted);margin:0 8px}
ol.chain button,ol.chain span{font-family:var(--mono);font-size:12px;border:1px solid var(--line);background:var(--bg);border-radius:12px;padding:1px 9px}
ol.chain button{cursor:pointer;color:var(--blue)}ol.chain small{color:var(--muted)}
pre.excerpt{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px 0;margin:8px 0 0;overflow-x:auto}
pre.excerpt .ln{display:inline-block;width:44px;padding-right:10px;text-align:right;color:#8c959f;user-select:none}
pre.excerpt .hit{background:var(--amber-bg)}pre.excerpt mark{background:none;color:inherit;text-decoration:underline wavy var(--red);text-underline-offset:3px}
.none{color:var(--muted);background:var(--card);border:1px dashed var(--line);border-radius:8px;padding:16px}
.legend{display:flex;gap:16px;flex-wrap:wrap;font-size:12px;color:var(--muted);margin:0 0 12px}
.legend i{display:inline-block;width:14px;height:10px;border-radius:3px;border:2px solid;margin-right:4px;vertical-align:-1px}
.tools{margin-left:auto;display:inline-flex;border:1px solid var(--line);border-radius:6px;overflow:hidden;font-size:12px;font-weight:400}
.viewport{border-top:1px solid var(--line);overflow:hidden;background:radial-gradient(circle,#d8dee4 1px,transparent 1px) 0 0/16px 16px;cursor:grab}
.viewport svg{display:block;width:100%;min-height:90px;user-select:none}
.node rect{fill:#fff;stroke:#818b98;stroke-width:1.2}.node.spawn rect{stroke-dasharray:5 3}
.node.fanout rect{fill:#ddf4ff;stroke:var(--blue)}.node.group rect,.node.semaphore rect{fill:#fbefff;stroke:var(--violet)}.node.signal rect{fill:#dafbe1;stroke:#1a7f37}
.node.finding rect{fill:var(--amber-bg);stroke:var(--amber);stroke-width:2}
.node.floating rect,.node.unbounded rect{fill:var(--red-bg);stroke:var(--red);stroke-width:2.5}
.node.external rect{fill:#f6f8fa;stroke:#aeb6bf;stroke-dasharray:2 3}.node.external text{fill:var(--muted)}
.node text{font:12px var(--mono);fill:var(--fg)}.node text.sub{font:10px system-ui,sans-serif;fill:var(--muted);letter-spacing:.02em}
.node.floating text.sub,.node.unbounded text.sub{fill:var(--red);font-weight:600}
.node circle{fill:var(--red)}.node text.badge{fill:#fff;font:bold 10px system-ui,sans-serif;text-anchor:middle}
.node{cursor:pointer;outline:none}.node:hover rect,.node:focus rect{stroke:var(--blue);stroke-width:2.5;outline:none}
.node.selected rect{stroke:var(--blue);stroke-width:3.5}
.edge path{fill:none;stroke:#8c959f;stroke-width:1.3}.edge text{font:11px var(--mono);fill:var(--muted);text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:4px}
.edge.owned-by path{stroke-dasharray:4 3}.edge.signal-flow path{stroke:#1a7f37;stroke-dasharray:6 3}
.edge.acquires path,.edge.releases path,.edge.uses path{stroke:var(--violet)}.edge.hot path{stroke:var(--red);stroke-width:2.2}.edge.hot text{fill:var(--red);font-weight:700}
svg.focus .edge:not(.active){opacity:.18}svg.focus .edge.active path{stroke:var(--blue);stroke-width:2.4}
aside{position:fixed;right:20px;bottom:20px;width:380px;max-height:60vh;overflow:auto;background:var(--card);border:1px solid var(--line);border-radius:10px;box-shadow:0 8px 24px rgba(31,35,40,.18);padding:14px 16px;font-size:13px}
aside h3{margin:0 30px 2px 0;font:600 14px var(--mono);word-break:break-all}aside .close{position:absolute;top:8px;right:10px;border:0;background:none;font-size:18px;cursor:pointer}
aside dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:8px 0}aside dt{color:var(--muted)}aside dd{margin:0;font-family:var(--mono);word-break:break-all}
aside ul{padding-left:18px;margin:4px 0}aside button.link{border:0;background:none;color:var(--blue);cursor:pointer;font:12px var(--mono);padding:0;text-align:left}
`;

/**
 * The HTML report's script: the grouping toggle, pan and zoom on each picture, and the details panel of a clicked
 * node. It reads the graph from the embedded JSON and writes with `textContent` only, so no string from the project
 * is ever parsed as markup.
 */
export const SCRIPT = `(() => {
  const data = JSON.parse(document.getElementById('taskscope-data').textContent);
  const nodes = new Map(data.nodes.map((node) => [node.id, node]));
  const $ = (tag, props = {}, ...children) => { const el = Object.assign(document.createElement(tag), props); el.append(...children); return el; };
  for (const button of document.querySelectorAll('[data-group-by]')) {
    button.addEventListener('click', () => {
      for (const other of document.querySelectorAll('[data-group-by]')) other.setAttribute('aria-pressed', String(other === button));
      for (const view of document.querySelectorAll('[data-grouping]')) view.hidden = view.dataset.grouping !== button.dataset.groupBy;
    });
  }
  for (const button of document.querySelectorAll('[data-modules]')) {
    button.addEventListener('click', () => { for (const section of document.querySelectorAll('details.module')) section.open = button.dataset.modules === 'open'; });
  }
  const panel = document.getElementById('details');
  const link = (id) => { const node = nodes.get(id); const button = $('button', { type: 'button', className: 'link', textContent: node ? node.label + ' (' + node.kind + ')' : id }); button.dataset.node = id; return button; };
  function select(id, scroll) {
    const node = nodes.get(id);
    if (!node) return;
    for (const old of document.querySelectorAll('.node.selected, .edge.active')) old.classList.remove('selected', 'active');
    for (const svg of document.querySelectorAll('svg.focus')) svg.classList.remove('focus');
    const section = document.getElementById(node.section);
    if (section) section.open = true;
    const home = section && [...section.querySelectorAll('.node')].find((el) => el.dataset.node === id);
    if (home) {
      home.classList.add('selected');
      const svg = home.ownerSVGElement;
      svg.classList.add('focus');
      for (const edge of svg.querySelectorAll('.edge')) if (edge.dataset.from === id || edge.dataset.to === id) edge.classList.add('active');
      if (scroll) home.scrollIntoView({ block: 'center' });
    }
    const facts = $('dl');
    for (const [key, value] of [['kind', node.kind], ['at', node.place], ...node.facts]) facts.append($('dt', { textContent: key }), $('dd', { textContent: value }));
    const list = (title, items) => items.length === 0 ? [] : [$('strong', { textContent: title }), $('ul', {}, ...items.map((item) => $('li', {}, ...item)))];
    const out = data.edges.filter((edge) => edge[0] === id).map((edge) => [edge[2] + ' → ', link(edge[1])]);
    const into = data.edges.filter((edge) => edge[1] === id).map((edge) => [link(edge[0]), ' ' + edge[2] + ' → here']);
    const findings = (data.findings[id] || []).map((finding) => [$('b', { className: finding[1], textContent: finding[0] + ': ' }), finding[2]]);
    panel.replaceChildren($('button', { type: 'button', className: 'close', textContent: '×', title: 'Close' }), $('h3', { textContent: node.label }), facts, ...list('Findings', findings), ...list('Edges out', out), ...list('Edges in', into));
    panel.hidden = false;
  }
  document.addEventListener('click', (event) => {
    const target = event.target.closest('[data-node], .close');
    if (!target) return;
    if (target.classList.contains('close')) { panel.hidden = true; for (const svg of document.querySelectorAll('svg.focus')) svg.classList.remove('focus'); return; }
    select(target.dataset.node, !target.closest('svg') || target.classList.contains('external'));
  });
  document.addEventListener('keydown', (event) => { if (event.key === 'Enter' && event.target.dataset && event.target.dataset.node) select(event.target.dataset.node, false); if (event.key === 'Escape') panel.hidden = true; });
  for (const svg of document.querySelectorAll('.viewport svg')) {
    const full = { w: Number(svg.dataset.width), h: Number(svg.dataset.height) };
    let box = { x: 0, y: 0, w: full.w, h: full.h };
    const apply = () => svg.setAttribute('viewBox', [box.x, box.y, box.w, box.h].join(' '));
    const zoom = (factor, cx = box.x + box.w / 2, cy = box.y + box.h / 2) => {
      const w = Math.min(Math.max(box.w * factor, full.w / 8), full.w * 4);
      const k = w / box.w;
      box = { x: cx - (cx - box.x) * k, y: cy - (cy - box.y) * k, w, h: box.h * k };
      apply();
    };
    const point = (event) => { const rect = svg.getBoundingClientRect(); const scale = Math.max(box.w / rect.width, box.h / rect.height); return [box.x + (event.clientX - rect.left) * scale, box.y + (event.clientY - rect.top) * scale, scale]; };
    svg.addEventListener('wheel', (event) => { if (!event.ctrlKey && !event.metaKey) return; event.preventDefault(); const [x, y] = point(event); zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, x, y); }, { passive: false });
    let drag = null;
    svg.addEventListener('pointerdown', (event) => { if (event.target.closest('.node')) return; drag = { x: event.clientX, y: event.clientY, box: { ...box } }; svg.setPointerCapture(event.pointerId); });
    svg.addEventListener('pointermove', (event) => { if (!drag) return; const scale = point(event)[2]; box = { ...drag.box, x: drag.box.x - (event.clientX - drag.x) * scale, y: drag.box.y - (event.clientY - drag.y) * scale }; apply(); });
    svg.addEventListener('pointerup', () => { drag = null; });
    const tools = svg.closest('details').querySelector('.tools');
    if (tools) tools.addEventListener('click', (event) => { const action = event.target.dataset.zoom; event.preventDefault(); if (action === 'in') zoom(1 / 1.3); else if (action === 'out') zoom(1.3); else if (action === 'reset') { box = { x: 0, y: 0, w: full.w, h: full.h }; apply(); } });
  }
})();
`;
