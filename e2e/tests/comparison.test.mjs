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

// A beheerder publishes this year on the comparison page; /open-data/ then lists it for everyone,
// the files download, a year not published is a plain 404 page; withdrawn again at the end.
test('a beheerder publishes a year at /open-data/, which is accessible without signing in', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'beheer', 'wachtwoord voor beheer');
    const year = new Date().getUTCFullYear();
    await page.goto(`${BASE}/werkplek/vergelijking?jaar=${year}`);
    assert.match(await page.textContent('main'), new RegExp(`${year} is niet gepubliceerd`));
    await assertAccessible(page, 'the comparison page with the publishing part');
    await page.click(`button:has-text("Publiceer ${year}")`);
    assert.match(await page.textContent('[role=status]'), /staan nu op \/open-data\//);

    const visitor = await browser.newPage();
    await visitor.goto(`${BASE}/open-data/`);
    assert.match(await visitor.textContent('h1'), /Open data over onze dienstverlening/);
    assert.match(await visitor.textContent('table'), new RegExp(`${year} als JSON`));
    await assertAccessible(visitor, 'the public open-data page');
    const json = await visitor.request.get(`${BASE}/open-data/${year}.json`);
    assert.equal(json.status(), 200);
    assert.equal(json.headers()['content-type'], 'application/json');
    assert.equal((await json.json()).organisation.name, 'Waterschap E2E');
    const missing = await visitor.goto(`${BASE}/open-data/${year - 30}.json`);
    assert.equal(missing.status(), 404);
    assert.match(await visitor.textContent('main'), /geen cijfers gepubliceerd/);
    await assertAccessible(visitor, 'the page of a year not published');

    await page.goto(`${BASE}/werkplek/vergelijking?jaar=${year}`);
    await page.click(`button:has-text("Haal ${year} van /open-data/")`);
    assert.match(await page.textContent('[role=status]'), /van \/open-data\/ gehaald/);
  } finally {
    await browser.close();
  }
});
