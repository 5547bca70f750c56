// The klantoverleg report (issue 14): a back-office member opens the quarter of their team,
// switches quarter with the form (a plain GET form), and downloads the CSV. Checked with axe (which
// needs JavaScript in the browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

test('the klantoverleg report of a team and quarter, printable and as CSV', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'heffingen', 'wachtwoord voor heffingen');
    await page.goto(`${BASE}/werkplek/klantoverleg`);
    assert.match(await page.textContent('h1'), /^Klantoverleg Heffingen, [1-4]e kwartaal \d{4}$/);
    for (const heading of ['Vragen over de onderwerpen van het team', 'Ruggespraak', 'Werkzaamheden die eraan komen', 'Servicenormen']) {
      assert.match(await page.textContent('main'), new RegExp(heading));
    }
    await assertAccessible(page, 'the klantoverleg report');

    await page.selectOption('#kwartaal', '1');
    await Promise.all([page.waitForURL(/kwartaal=1/), page.click('button:text-is("Toon")')]);
    assert.match(await page.textContent('h1'), /1e kwartaal/);
    await assertAccessible(page, 'the klantoverleg report of the first quarter');

    const csvLink = await page.getAttribute('a:text-is("Download als CSV")', 'href');
    const csv = await page.request.get(`${BASE}${csvLink}`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^section,item,channel,value\n/);
    assert.match(await csv.text(), /\nconsultations,asked,,\d+\n/);
  } finally {
    await browser.close();
  }
});
