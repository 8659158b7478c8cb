/**
 * The live page: plain HTML and a small script (no build step, no outside files). It reads
 * the token from its own address, listens to `/events` and draws what arrives; the pictures
 * come drawn as SVG by adaptive-sampling/plot on the server.
 */

import { esc } from '../plot/svg.js';

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #222; background: #fafafa; }
h1 { font-size: 18px; margin: 0 0 8px; }
.row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px; }
table.info td { padding: 1px 8px 1px 0; }
table.info td:first-child { color: #666; }
.bar { width: 220px; height: 10px; background: #eee; border: 1px solid #bbb; display: inline-block; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: #2a9d3a; }
#failures li { color: #a00; }
button { font: inherit; padding: 4px 12px; }
#stop { background: #c0392b; color: #fff; border: 0; border-radius: 4px; }
#stop:disabled { background: #999; }
.status-running { color: #2a7d2a; } .status-finished { color: #225; } .status-cancelled, .status-failed { color: #a00; }
#sliders label { display: block; }
#picture svg { display: block; }
table.asks td, table.asks th { padding: 2px 6px; text-align: left; }
table.asks input { width: 10em; }
#csv { width: 100%; height: 6em; font-family: monospace; }
.err { color: #a00; }
`;

const SCRIPT = String.raw`
const token = new URLSearchParams(location.search).get('token') || '';
const MODE = document.body.dataset.mode;
const q = (path, extra) => path + '?token=' + encodeURIComponent(token) + (extra || '');
const $ = (id) => document.getElementById(id);
const fmt = (v) => {
  if (typeof v === 'string') return v;
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e6 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
};
let fixed = null;
let es = null;
let frames = 0;
function connect() {
  if (es) es.close();
  const f = fixed ? '&fixed=' + fixed.map((v) => (v === null ? '' : v)).join(',') : '';
  es = new EventSource(q('/events', f));
  es.onmessage = (e) => render(JSON.parse(e.data));
}
function row(label, value, id) {
  return '<tr><td>' + label + '</td><td' + (id ? ' id="' + id + '"' : '') + '>' + value + '</td></tr>';
}
function text(s) { const d = document.createElement('div'); d.textContent = String(s); return d.innerHTML; }
function sliders(slice) {
  if (!slice || slice.dim <= 2 || $('sliders').dataset.ready) return;
  $('sliders').dataset.ready = '1';
  fixed = slice.bounds.map((b, i) => (i < 2 ? null : (b[0] + b[1]) / 2));
  let h = '';
  slice.bounds.forEach((b, i) => {
    if (i < 2) return;
    h += '<label>x' + i + ' = <span id="fv' + i + '">' + fmt(fixed[i]) + '</span> <input type="range" class="fix" data-i="' + i +
      '" min="' + b[0] + '" max="' + b[1] + '" step="' + (b[1] - b[0]) / 200 + '" value="' + fixed[i] + '"></label>';
  });
  $('sliders').innerHTML = h;
  for (const el of document.querySelectorAll('input.fix')) {
    el.addEventListener('change', () => {
      const i = Number(el.dataset.i);
      fixed[i] = Number(el.value);
      $('fv' + i).textContent = fmt(fixed[i]);
      connect();
    });
  }
  connect();
}
function render(f) {
  frames++;
  document.body.dataset.frames = String(frames);
  const i = f.info;
  if (i) {
    let h = row('learner', text(i.learner), 'learner');
    h += row('status', '<span class="status-' + i.status + '">' + i.status + '</span>', 'status');
    h += row('points', i.npoints, 'npoints');
    h += row('pending', i.pending, 'pending');
    h += row('loss', fmt(i.loss), 'loss');
    h += row('elapsed', (i.elapsedMs / 1000).toFixed(1) + ' s', 'elapsed');
    h += row('rate', fmt(i.rate) + ' points/s', 'rate');
    h += row('overhead', fmt(i.overhead) + ' %', 'overhead');
    h += row('failures', i.failures, 'nfailures');
    for (const e of i.extra) h += row(text(e.label), text(e.value));
    if (i.progress) h += row('items', i.progress.done + ' of ' + i.progress.total);
    if (f.answered !== undefined) h += row('answered', f.answered, 'answered');
    $('info').innerHTML = h;
    let g = '';
    for (const goal of i.goals) {
      const p = Number.isFinite(goal.progress) ? goal.progress : 0;
      g += '<div class="goal" data-goal="' + goal.name + '">' + goal.name + ' <span class="bar"><span style="width:' + (100 * p).toFixed(1) +
        '%"></span></span> ' + text(goal.text) + '</div>';
    }
    $('goals').innerHTML = g;
    let fl = '';
    for (const x of i.failureList) fl += '<li>' + text(JSON.stringify(x.point)) + ': ' + text(x.kind) + ', ' + text(x.error) + ' (' + x.attempts + ' attempts)</li>';
    $('failures').innerHTML = fl;
    if ($('stop')) $('stop').disabled = i.status !== 'running' && i.status !== 'idle';
    sliders(i.slice);
  }
  if (f.svg !== undefined) $('picture').innerHTML = f.svg || '<p>(no picture for this learner)</p>';
  if (f.lossSvg !== undefined) $('losspic').innerHTML = f.lossSvg;
  if (f.pending !== undefined) asks(f.pending);
}
async function post(path, body) {
  const r = await fetch(q(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}
if ($('stop')) $('stop').addEventListener('click', async () => {
  $('stop').disabled = true;
  await post('/stop', {});
});
// The person's side: the asked points, a value box each, and CSV rows.
const typed = new Map();
function asks(list) {
  const tb = $('asks');
  for (const inp of tb.querySelectorAll('input')) typed.set(inp.dataset.key, inp.value);
  let h = '';
  for (const a of list) {
    const key = JSON.stringify(a.point);
    h += '<tr class="ask" data-key="' + text(key) + '"><td class="point">' + text(key) + '</td><td><input data-key="' + text(key) +
      '" placeholder="value"></td><td><button class="send">send</button></td></tr>';
  }
  tb.innerHTML = h;
  $('nasks').textContent = String(list.length);
  for (const tr of tb.querySelectorAll('tr.ask')) {
    const inp = tr.querySelector('input');
    if (typed.has(inp.dataset.key)) inp.value = typed.get(inp.dataset.key);
    const send = () => answer([{ point: JSON.parse(tr.dataset.key), value: parseValue(inp.value) }]);
    tr.querySelector('button').addEventListener('click', send);
    inp.addEventListener('keydown', (e) => { if (e.key === 'Enter') send(); });
  }
}
function parseValue(s) {
  s = s.trim();
  if (s.startsWith('[')) return JSON.parse(s);
  if (/^(nan|NaN)$/.test(s)) return 'NaN';
  if (s === '') throw new Error('no value typed');
  const v = Number(s);
  if (Number.isNaN(v)) throw new Error('not a number: ' + s);
  return Number.isFinite(v) ? v : String(v);
}
async function answer(list) {
  $('msg').textContent = '';
  try {
    const r = await post('/answer', list.length === 1 ? list[0] : list);
    for (const a of list) typed.delete(JSON.stringify(a.point));
    $('msg').textContent = 'sent ' + (r.answered ?? list.length);
  } catch (e) {
    $('msg').innerHTML = '<span class="err">' + text(e.message) + '</span>';
  }
}
if ($('send-csv')) $('send-csv').addEventListener('click', () => {
  const rows = [];
  try {
    for (const line of $('csv').value.split(/\r?\n/)) {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      const cells = t.split(/[,;\s\t]+/).filter((c) => c !== '');
      if (cells.length < 2) throw new Error('a row needs the point and the value: ' + t);
      const nums = cells.map((c) => Number(c));
      if (nums.some((v) => Number.isNaN(v))) {
        if (/[a-z]/i.test(t.replace(/nan|infinity/gi, ''))) continue; // a header row
        throw new Error('not numbers: ' + t);
      }
      const value = nums[nums.length - 1];
      const pt = nums.slice(0, -1);
      rows.push({ point: pt.length === 1 ? pt[0] : pt, value });
    }
  } catch (e) {
    $('msg').innerHTML = '<span class="err">' + text(e.message) + '</span>';
    return;
  }
  if (rows.length > 0) answer(rows).then(() => { $('csv').value = ''; });
});
connect();
`;

/**
 * The page's HTML: `'view'` (a run, with a stop button) or `'master'` (the asked points and
 * boxes for the values).
 * @example
 * pageHtml('view', 'peak', '1d').startsWith('<!doctype html>'); // true
 */
export function pageHtml(mode: 'view' | 'master', title: string, kind: string): string {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}: adaptive-sampling live</title><style>${STYLE}</style></head>`;
  const master =
    mode === 'master'
      ? `<div class="card" id="person"><h2 style="font-size:15px;margin:0 0 6px">Asked points (<span id="nasks">0</span>)</h2>
<table class="asks"><thead><tr><th>point</th><th>value</th><th></th></tr></thead><tbody id="asks"></tbody></table>
<p>Or paste CSV rows (point coordinates, then the value):</p><textarea id="csv" placeholder="0.25, 1.7"></textarea>
<button id="send-csv">send rows</button> <span id="msg"></span></div>`
      : '';
  const stop = mode === 'view' ? '<button id="stop">stop the run</button>' : '';
  return `${head}<body data-mode="${mode}" data-kind="${esc(kind)}" data-frames="0">
<h1>${esc(title)} ${stop}</h1>
<div class="row">${master}
<div class="card"><div id="picture"></div><div id="sliders"></div></div>
<div class="card"><table class="info" id="info"></table><div id="goals"></div><ul id="failures"></ul><div id="losspic"></div></div>
</div>
<script>${SCRIPT}</script></body></html>`;
}
