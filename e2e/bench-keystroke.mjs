// Keystroke-to-results benchmark for the KCC workspace's live search, measured in the browser.
// Not a test (it lives outside e2e/tests, so CI does not run it); start it with e2e/bench-keystroke,
// which seeds the demo at scale 10 and starts a server, or point it at a running demo:
//
//   GASTVRIJ_URL=http://127.0.0.1:8080 node e2e/bench-keystroke.mjs
//
// Signs in as the demo KCC agent, starts a contact and types callers' questions (the "query"
// fields of data/kennisbank/queries.jsonl) into #vraag one character at a time. Everything is
// timed inside the page with performance.now():
//   (a) keystroke -> results as the agent sees it: from the keydown of the last character of a
//       question (typed after the previous results were shown) to the gastvrij:results event for
//       exactly that text; includes werkplek.js's 15 ms debounce.
//   (b) request: from the start of each live-search fetch to the results of that text in
//       #resultaten, for every keystroke that fires one; split with the Resource Timing API into
//       server (request sent -> first byte), transfer and DOM update.
// Settings (environment): GASTVRIJ_BENCH_QUERIES (how many questions, spread over the file;
// default 60, 0 = all), GASTVRIJ_BENCH_DELAY_MS (pause between keystrokes, default 90: a fast
// typist, and above the debounce so every keystroke fires a request).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BASE, launch, signIn } from './tests/browser.mjs';

const GOAL_MS = 50;
const wanted = Number(process.env.GASTVRIJ_BENCH_QUERIES ?? 60);
const delay = Number(process.env.GASTVRIJ_BENCH_DELAY_MS ?? 90);
const file = fileURLToPath(new URL('../data/kennisbank/queries.jsonl', import.meta.url));
const all = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).query);
const step = wanted > 0 && wanted < all.length ? all.length / wanted : 1;
const queries = [];
for (let i = 0; i < all.length && queries.length < (wanted || all.length); i += step) queries.push(all[Math.floor(i)]);

// Installed before werkplek.js runs: wraps fetch to note when each live search starts, and
// records keydown and results times.
function instrument() {
  performance.setResourceTimingBufferSize(1000000);
  const bench = (window.__bench = { keydown: 0, fetches: [], results: [], pending: new Map() });
  const original = window.fetch;
  window.fetch = function (url, init) {
    const text = String(url);
    if (text.includes('deel=1')) {
      const q = new URL(text, location.href).searchParams.get('q');
      const entry = { q, url: new URL(text, location.href).href, start: performance.now(), done: null };
      bench.fetches.push(entry);
      bench.pending.set(q, entry);
    }
    return original.call(this, url, init);
  };
  document.addEventListener('keydown', (e) => { bench.keydown = e.timeStamp; }, true);
  document.addEventListener('gastvrij:results', (e) => {
    const now = performance.now();
    const q = e.detail.query;
    const entry = bench.pending.get(q);
    if (entry) {
      entry.done = now;
      bench.pending.delete(q);
    }
    bench.results.push({ q, at: now });
  });
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) };
}

const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '-');
const line = (name, s) =>
  `${name.padEnd(52)} n=${String(s.n).padStart(5)}  p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  max ${ms(s.max).padStart(9)}`;

const browser = await launch();
try {
  const page = await browser.newPage();
  await page.addInitScript(instrument);
  await signIn(page, 'kcc', 'demo-kcc-wachtwoord');
  await page.goto(`${BASE}/werkplek`);
  await page.selectOption('#kanaal', 'telefoon');
  await Promise.all([page.waitForURL(/\/werkplek\/contacten\/[0-9a-f-]+$/), page.click('text=Start contact')]);
  await page.click('#vraag');

  const lastKey = [];
  const requests = { total: [], server: [], transfer: [], dom: [], dropped: 0 };
  let empty = 0;
  const started = Date.now();
  // The first question warms up the connection and caches; it is not counted.
  for (const [i, query] of ['kwijtschelding aanvragen', ...queries].entries()) {
    await page.fill('#vraag', '');
    await page.evaluate(() => {
      window.__bench.fetches.length = 0;
      window.__bench.results.length = 0;
      window.__bench.pending.clear();
    });
    await page.waitForTimeout(150);
    for (const ch of [...query]) {
      await page.keyboard.type(ch);
      await page.waitForTimeout(delay);
    }
    const want = query.trim();
    // Wait for the results of the full text, then take (a) from the keydown of its last character.
    const got = await page.evaluate(async (want) => {
      const b = window.__bench;
      const keydown = b.keydown;
      const deadline = performance.now() + 5000;
      while (performance.now() < deadline) {
        const r = b.results.findLast((r) => r.q === want);
        if (r && r.at >= keydown) {
          return { lastKey: r.at - keydown, empty: !document.querySelector('#resultaten [data-result]') };
        }
        await new Promise((ok) => setTimeout(ok, 5));
      }
      return null;
    }, want);
    const timings = await page.evaluate(() => {
      const byUrl = new Map();
      for (const e of performance.getEntriesByType('resource')) byUrl.set(e.name, e);
      performance.clearResourceTimings();
      return window.__bench.fetches.map((f) => {
        const r = byUrl.get(f.url);
        return {
          total: f.done === null ? null : f.done - f.start,
          server: r ? r.responseStart - r.requestStart : null,
          transfer: r ? r.responseEnd - r.responseStart : null,
          dom: r && f.done !== null ? f.done - r.responseEnd : null,
        };
      });
    });
    if (i === 0) continue;
    if (got) {
      lastKey.push(got.lastKey);
      if (got.empty) empty++;
    }
    for (const t of timings) {
      if (t.total === null) requests.dropped++;
      else requests.total.push(t.total);
      if (t.server !== null) requests.server.push(t.server);
      if (t.transfer !== null) requests.transfer.push(t.transfer);
      if (t.dom !== null) requests.dom.push(t.dom);
    }
    if (i % 10 === 0) console.error(`${i}/${queries.length} questions typed`);
  }

  const a = summary(lastKey);
  const b = summary(requests.total);
  const chars = queries.reduce((n, q) => n + [...q].length, 0);
  console.log(`Keystroke to results, ${BASE}, ${queries.length} questions, ${chars} keystrokes, ${delay} ms between keys, ` +
    `${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(line('(a) last keystroke -> results (incl. 15 ms debounce)', a));
  console.log(line('(b) request: fetch start -> results in #resultaten', b));
  console.log(line('    of which server (request sent -> first byte)', summary(requests.server)));
  console.log(line('    of which transfer (first -> last byte)', summary(requests.transfer)));
  console.log(line('    of which DOM update (last byte -> event)', summary(requests.dom)));
  console.log(`requests superseded before they rendered: ${requests.dropped}; questions without results: ${empty}; ` +
    `questions whose results never came: ${queries.length - lastKey.length}`);
  const ratio = (v) => `${(v / GOAL_MS).toFixed(2)}x`;
  console.log(`goal p99 <= ${GOAL_MS} ms | (a) p99 ${ms(a.p99)} (${ratio(a.p99)} of goal, ${a.p99 <= GOAL_MS ? 'met' : 'NOT met'}) | ` +
    `(b) p99 ${ms(b.p99)} (${ratio(b.p99)} of goal, ${b.p99 <= GOAL_MS ? 'met' : 'NOT met'})`);
} finally {
  await browser.close();
}
