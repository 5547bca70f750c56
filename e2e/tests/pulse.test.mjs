import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

// e2e/run makes the back-office user "heffingen" and the team lead "leider", both in Heffingen.
test('an employee answers the pulse once and the team lead sees too few answers', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'heffingen', 'wachtwoord voor heffingen');
    await page.goto(`${BASE}/werkplek/peiling`);
    assert.match(await page.textContent('h1'), /Medewerkerspeiling/);
    await assertAccessible(page, 'the pulse form');
    for (const [code, score] of [['workload', 3], ['equipped', 4], ['collaboration', 5], ['trust_in_knowledge', 4], ['enjoyment', 4]]) {
      await page.check(`#${code}-${score}`);
    }
    await page.fill('#comment', 'Goede week gehad.');
    await page.click('button[type=submit]:has-text("Antwoord versturen")');
    await page.waitForURL(/\/werkplek\/peiling\?melding=/);
    assert.match(await page.textContent('main'), /U heeft deze periode al geantwoord/);
    assert.equal(await page.locator('input[type=radio]').count(), 0, 'no second answer');
    await assertAccessible(page, 'the pulse after answering');

    const lead = await browser.newPage();
    await signIn(lead, 'leider', 'wachtwoord voor leider');
    await lead.goto(`${BASE}/werkplek/cijfers/peiling`);
    assert.match(await lead.textContent('main'), /Team Heffingen/);
    assert.match(await lead.textContent('main'), /te weinig antwoorden/);
    assert.doesNotMatch(await lead.textContent('main'), /Goede week gehad/, 'no comment of a group under five');
    await assertAccessible(lead, 'the pulse figures');
    const csv = await lead.request.get(`${BASE}/werkplek/cijfers/peiling.csv`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^group,period_start,period_end,answers,workload/);
  } finally {
    await browser.close();
  }
});
