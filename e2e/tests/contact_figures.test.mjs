import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

// The contact figures of the monitor (issue 15): a team lead opens them from the figures page,
// with the chart, its table and the hour-of-the-week table, and downloads the CSV.
test('a team lead opens the contact figures from the figures page', async () => {
  const browser = await launch();
  try {
    const lead = await browser.newPage();
    await signIn(lead, 'leider', 'wachtwoord voor leider');
    await lead.goto(`${BASE}/werkplek/cijfers`);
    await Promise.all([lead.waitForURL(/\/werkplek\/cijfers\/contacten/), lead.click('a[href^="/werkplek/cijfers/contacten"]')]);
    assert.match(await lead.textContent('h1'), /Contacten/);
    assert.ok((await lead.locator('svg').count()) >= 1, 'the chart per channel');
    assert.ok((await lead.locator('table').count()) >= 2, 'the tables beside the chart and per hour of the week');
    await assertAccessible(lead, 'the contact figures');
    const href = await lead.getAttribute('a[href*="/werkplek/cijfers/contacten.csv"]', 'href');
    const csv = await lead.request.get(`${BASE}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /text\/csv/);
    assert.match(await csv.text(), /^section,key,value/);
  } finally {
    await browser.close();
  }
});
