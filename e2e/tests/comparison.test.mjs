import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

// e2e/run imports one peer file ("Waterschap Buren", made from this board's own export).
test('the comparison page shows this board beside a peer and is accessible', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'beheer', 'wachtwoord voor beheer');
    const year = new Date().getUTCFullYear();
    await page.goto(`${BASE}/werkplek/vergelijking?jaar=${year}`);
    assert.match(await page.textContent('h1'), /Vergelijking met andere waterschappen/);
    assert.match(await page.textContent('table'), /Waterschap Buren/);
    assert.match(await page.textContent('table'), /Waterschap E2E \(wij\)/);
    await assertAccessible(page, 'the comparison page');
    const csv = await page.request.get(`${BASE}/werkplek/vergelijking.csv?jaar=${year}`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^period,code,unit,waterschap-e2e,waterschap-buren,median,best,best_organisation/);
  } finally {
    await browser.close();
  }
});
