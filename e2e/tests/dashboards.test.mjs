import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

// Every dashboard under /werkplek/cijfers (issue 15), opened by a team lead, with the segment
// filter where the page has one; axe finds no WCAG 2.1 A/AA violation on any of them.
test('a team lead opens every figure page, filters by segment, and each is accessible', async () => {
  const browser = await launch();
  try {
    const lead = await browser.newPage();
    await signIn(lead, 'leider', 'wachtwoord voor leider');

    // The overview: the service norm beside the customer grade, and the pulse, per week.
    await lead.goto(`${BASE}/werkplek/cijfers`);
    assert.match(await lead.textContent('h1'), /Cijfers/);
    assert.match(await lead.textContent('main'), /Op tijd afgehandeld naast het klantcijfer/);
    assert.ok((await lead.locator('svg.grafiek').count()) >= 2, 'the norm beside the grade, and the pulse');
    assert.ok((await lead.locator('table').count()) >= 2, 'a table beside each chart');
    await assertAccessible(lead, 'the figures overview');
    await lead.selectOption('#segment', 'agrariër');
    await Promise.all([lead.waitForURL(/segment=agrari/), lead.click('button[type=submit]:has-text("Toon")')]);
    assert.match(await lead.textContent('main'), /Alleen zaken en antwoorden van klanten in het segment agrariër/);
    await assertAccessible(lead, 'the figures overview for one segment');
    const href = await lead.getAttribute('a[href^="/werkplek/cijfers/weken.csv"]', 'href');
    assert.match(href, /segment=agrari/);
    const csv = await lead.request.get(`${BASE}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^series,period,first_day,value,target,measured/);

    // The norm dashboard with the segment filter.
    await lead.goto(`${BASE}/werkplek/cijfers/normen`);
    assert.match(await lead.textContent('h1'), /Servicenormen/);
    await lead.selectOption('#segment', 'inwoner');
    await Promise.all([lead.waitForURL(/segment=inwoner/), lead.click('button[type=submit]:has-text("Toon")')]);
    assert.equal(await lead.inputValue('#segment'), 'inwoner', 'the filter stays chosen');
    const normCsv = await lead.getAttribute('a:has-text("Download de cijfers als CSV")', 'href');
    assert.match(normCsv, /segment=inwoner/);
    await assertAccessible(lead, 'the norm dashboard for one segment');

    // Satisfaction with its segment filter.
    await lead.goto(`${BASE}/werkplek/cijfers/tevredenheid?segment=${encodeURIComponent('bedrijf')}`);
    assert.match(await lead.textContent('h1'), /Tevredenheid/);
    assert.equal(await lead.inputValue('#segment'), 'bedrijf');
    await assertAccessible(lead, 'the satisfaction dashboard for one segment');

    // The contact figures and the pulse.
    await lead.goto(`${BASE}/werkplek/cijfers/contacten`);
    assert.match(await lead.textContent('h1'), /Contacten/);
    await assertAccessible(lead, 'the contact figures');
    await lead.goto(`${BASE}/werkplek/cijfers/peiling`);
    assert.match(await lead.textContent('h1'), /peiling/i);
    await assertAccessible(lead, 'the pulse figures');
  } finally {
    await browser.close();
  }
});
