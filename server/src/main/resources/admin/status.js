// Turnpike status page: polls the admin API of this same server every 2 s and draws what it gets.
// No libraries, no other hosts (the server's Content-Security-Policy forbids them anyway).
'use strict';

const TOKEN_KEY = 'turnpike.adminToken';
const POLL_MS = 2000;
let timer = null;

const $ = (id) => document.getElementById(id);

function token() { return sessionStorage.getItem(TOKEN_KEY); }

// A token may come in the fragment (#token=...): it never reaches the server's logs; take it and drop it from the URL.
function tokenFromFragment() {
  const m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname);
  }
}

async function api(path, body) {
  const init = { headers: { 'Authorization': 'Bearer ' + token() }, cache: 'no-store' };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch('/admin/api' + path, init);
  let data = null;
  try { data = await r.json(); } catch (e) { /* not JSON */ }
  if (r.status === 401) { throw Object.assign(new Error('the token was refused'), { unauthorized: true }); }
  if (!r.ok) { throw new Error((data && data.error) || ('HTTP ' + r.status)); }
  return data;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    if (c instanceof Node) { const td = el('td'); td.appendChild(c); tr.appendChild(td); }
    else tr.appendChild(el('td', c));
  }
  return tr;
}

function fill(tbody, rows, empty, columns) {
  tbody.replaceChildren(...rows);
  if (rows.length === 0) {
    const td = el('td', empty, 'empty');
    td.colSpan = columns;
    const tr = document.createElement('tr');
    tr.appendChild(td);
    tbody.appendChild(tr);
  }
}

const time = (ms) => new Date(ms).toLocaleTimeString();
const seconds = (ms) => (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
const mib = (bytes) => (bytes / 1048576).toFixed(0) + ' MiB';

function showLogin(message) {
  clearTimeout(timer);
  $('main').hidden = true;
  $('forget').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  $('state').textContent = 'not connected';
  $('state').className = 'state';
}

async function poll() {
  clearTimeout(timer);
  try {
    const stats = await api('/stats');
    $('login').hidden = true;
    $('main').hidden = false;
    $('forget').hidden = false;
    render(stats);
    $('state').textContent = 'live · ' + time(stats.now);
    $('state').className = 'state up';
  } catch (e) {
    if (e.unauthorized) {
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin('The token was refused.');
      return;
    }
    $('state').textContent = 'unreachable: ' + e.message;
    $('state').className = 'state down';
  }
  timer = setTimeout(poll, POLL_MS);
}

function render(s) {
  $('build').textContent = s.build.version + ' · ' + s.build.commit;
  $('q-waiting').textContent = s.queue.waiting;
  $('q-capacity').textContent = 'of ' + s.queue.capacity;
  $('q-solving').textContent = s.queue.solving;
  $('q-workers').textContent = s.queue.workers + ' workers';
  $('t-ready').textContent = s.totals.ready;
  $('t-failed').textContent = s.totals.failed;
  const lastMinute = s.timeline.slices.slice(-Math.round(60000 / s.timeline.sliceMs));
  $('t-rate').textContent = lastMinute.reduce((n, x) => n + x.ready + x.failed, 0);
  $('p-charged').textContent = s.totals.pointsCharged;
  $('p-held').textContent = s.totals.pointsHeld + ' held now';
  drawChart($('chart'), s.timeline);
  drawHistogram($('histogram'), s.latency);
  renderPool(s.pool);
  fill($('latest'), s.latest.map((t) => row([time(t.endedAtMs), t.taskId, typeAndDialect(t),
    el('span', t.outcome === 'ready' ? 'ready' : 'failed: ' + t.reason, t.outcome), seconds(t.durationMs), t.keyPrefix + '…'])),
    'No task has ended yet.', 6);
  fill($('failures'), s.failures.map((f) => row([time(f.endedAtMs), f.taskId, typeAndDialect(f), f.reason, f.errorCode,
    f.description, f.keyPrefix + '…'])), 'No failures.', 7);
  renderKeys(s.keys);
}

// The task type, and the API method it came in by (createTask, in.php).
function typeAndDialect(t) {
  return t.type + ' via ' + t.dialect;
}

function renderPool(pool) {
  $('pool-none').hidden = pool !== null;
  $('pool').hidden = pool === null;
  if (pool === null) return;
  $('pool-summary').textContent = 'Slots busy ' + pool.busy + ', idle ' + pool.idle + ' (' + pool.slotsPerBrowser
    + ' per browser); warm contexts ' + pool.warm + '; tasks waiting for a slot ' + pool.waiting
    + '; memory ' + mib(pool.memoryBytes) + '. Challenge tasks waiting for an identical solve '
    + pool.challengeWaiting + '; started from one since start ' + pool.challengeShared + '.';
  fill($('pool-browsers'), pool.browsers.map((b) => row([b.id, b.state, b.busy, b.warm, b.warming, b.served])),
    'No browser is running.', 6);
  const retired = Object.entries(pool.retired).filter(([, n]) => n > 0).map(([r, n]) => r + ' ' + n);
  $('pool-retired').textContent = 'Retired since start: ' + (retired.length ? retired.join(', ') : 'none') + '.';
  renderSessions(pool.sessions);
}

// FlareSolverr's sessions: each holds a slot of the pool, so their count is seen beside the cap.
function renderSessions(sessions) {
  $('sessions').hidden = sessions === null;
  if (sessions === null) return;
  $('sessions-summary').textContent = 'Sessions alive ' + sessions.count + ' of at most ' + sessions.max
    + ' (each holds a browser context).';
  fill($('sessions-keys'), sessions.byKey.map((k) => row([k.keyPrefix + '…', k.name, k.sessions])),
    'No key has a session.', 3);
}

function renderKeys(keys) {
  fill($('keys'), keys.map((k) => {
    const actions = document.createElement('span');
    if (k.active) {
      const points = el('input');
      points.type = 'number'; points.min = '1'; points.step = '1'; points.placeholder = 'points';
      points.className = 'topup';
      const topup = el('button', 'Top up');
      topup.type = 'button';
      topup.dataset.action = 'topup';
      topup.addEventListener('click', () => act(() => api('/keys/topup', { key: k.keyPrefix, points: Number(points.value) })));
      const revoke = el('button', 'Revoke');
      revoke.type = 'button';
      revoke.dataset.action = 'revoke';
      revoke.addEventListener('click', () => {
        if (confirm('Revoke key ' + k.keyPrefix + '…? It stops working at once.')) {
          act(() => api('/keys/revoke', { key: k.keyPrefix }));
        }
      });
      actions.append(points, ' ', topup, ' ', revoke);
    }
    const tr = row([k.id, k.name, k.keyPrefix + '…', k.active ? 'active' : 'revoked', k.balance, k.held, k.available, actions]);
    tr.dataset.prefix = k.keyPrefix;
    if (!k.active) tr.className = 'revoked';
    return tr;
  }), 'No keys yet.', 8);
}

async function act(action) {
  $('keys-error').textContent = '';
  try {
    await action();
  } catch (e) {
    if (e.unauthorized) { sessionStorage.removeItem(TOKEN_KEY); showLogin('The token was refused.'); return; }
    $('keys-error').textContent = e.message;
  }
  poll();
}

function drawChart(canvas, timeline) {
  const g = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, left = 40, right = 50, top = 10, bottom = 20;
  const slices = timeline.slices;
  g.clearRect(0, 0, w, h);
  // A top that divides into four whole steps, so the count axis has whole numbers.
  const maxCount = 4 * Math.ceil(Math.max(1, ...slices.map((s) => s.ready + s.failed)) / 4);
  const maxMs = Math.max(1000, ...slices.map((s) => s.maxReadyMs));
  const bw = (w - left - right) / slices.length;
  const y = (v, max) => top + (h - top - bottom) * (1 - v / max);
  g.strokeStyle = '#dde2ea'; g.fillStyle = '#6a7384'; g.font = '11px sans-serif';
  for (let i = 0; i <= 4; i++) {
    const yy = top + (h - top - bottom) * i / 4;
    g.beginPath(); g.moveTo(left, yy); g.lineTo(w - right, yy); g.stroke();
    g.textAlign = 'right'; g.fillText(String(Math.round(maxCount * (1 - i / 4))), left - 4, yy + 4);
    g.textAlign = 'left'; g.fillText((maxMs * (1 - i / 4) / 1000).toFixed(1) + ' s', w - right + 4, yy + 4);
  }
  slices.forEach((s, i) => {
    const x = left + i * bw;
    g.fillStyle = '#2f9e44';
    g.fillRect(x + 1, y(s.ready, maxCount), bw - 2, y(0, maxCount) - y(s.ready, maxCount));
    g.fillStyle = '#d9480f';
    g.fillRect(x + 1, y(s.ready + s.failed, maxCount), bw - 2, y(s.ready, maxCount) - y(s.ready + s.failed, maxCount));
  });
  const line = (field, color) => {
    g.strokeStyle = color; g.lineWidth = 2; g.beginPath();
    let started = false;
    slices.forEach((s, i) => {
      if (s.ready === 0) { started = false; return; }
      const x = left + i * bw + bw / 2, yy = y(s[field], maxMs);
      if (started) g.lineTo(x, yy); else { g.moveTo(x, yy); started = true; }
      g.fillStyle = color; g.fillRect(x - 2, yy - 2, 4, 4);
    });
    g.stroke(); g.lineWidth = 1;
  };
  line('maxReadyMs', '#adb5bd');
  line('meanReadyMs', '#1c7ed6');
  g.fillStyle = '#6a7384'; g.textAlign = 'left';
  g.fillText(time(slices[0].start), left, h - 4);
  g.textAlign = 'right';
  g.fillText(time(slices[slices.length - 1].start + timeline.sliceMs), w - right, h - 4);
}

function drawHistogram(canvas, buckets) {
  const g = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, bottom = 18, top = 14;
  g.clearRect(0, 0, w, h);
  // The API's buckets are cumulative (Prometheus style): the bar is the difference to the previous bucket.
  const bars = buckets.map((b, i) => ({ label: '≤ ' + b.upToSeconds + ' s', n: b.count - (i ? buckets[i - 1].count : 0) }));
  const max = Math.max(1, ...bars.map((b) => b.n));
  const bw = w / bars.length;
  g.font = '11px sans-serif'; g.textAlign = 'center';
  bars.forEach((b, i) => {
    const bh = (h - bottom - top) * b.n / max;
    g.fillStyle = '#1c7ed6';
    g.fillRect(i * bw + 4, h - bottom - bh, bw - 8, bh);
    g.fillStyle = '#6a7384';
    g.fillText(b.label, i * bw + bw / 2, h - 4);
    if (b.n > 0) g.fillText(String(b.n), i * bw + bw / 2, h - bottom - bh - 2);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  tokenFromFragment();
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
    $('token-input').value = '';
    poll();
  });
  $('forget').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); showLogin(''); });
  $('create-form').addEventListener('submit', (e) => {
    e.preventDefault();
    act(async () => {
      const created = await api('/keys/create', { name: $('create-name').value, points: Number($('create-points').value || 0) });
      $('created-key').textContent = created.key;
      $('created').hidden = false;
      $('create-name').value = '';
    });
  });
  if (token()) poll(); else showLogin('');
});
