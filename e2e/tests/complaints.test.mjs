// Complaints as the Awb asks (chapter 9, issue 14): a klacht's case page with who it is about
// and the hearing, closed with conclusions and measures; then the complaint register and its
// printable annual overview, each checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

test('a klacht is heard and closed, and shows in the register and the annual overview', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'beheer', 'wachtwoord voor beheer');
    // The klacht comes in through the portal.
    await page.goto(`${BASE}/klacht`);
    const topic = await page.$eval('#onderwerp', (s) => [...s.options].find((o) => /Wateroverlast/.test(o.text)).value);
    await page.selectOption('#onderwerp', topic);
    await page.fill('#omschrijving', 'De medewerker aan de telefoon was onvriendelijk tegen mij.');
    await page.check('#contact-email');
    await page.fill('#naam', 'K. Lager');
    await page.fill('#email', 'klager-register@example.nl');
    await Promise.all([page.waitForURL(/\/ontvangen\/[0-9a-f]{48}$/), page.click('button:text-is("Verstuur")')]);
    const reference = (await page.textContent('main')).match(/WS-\d{4}-\d{6}/)?.[0];
    assert.ok(reference, 'a reference on the confirmation');

    const year = new Date().getUTCFullYear();
    await page.goto(`${BASE}/werkplek/klachten?jaar=${year}`);
    await assertAccessible(page, 'the complaint register');
    await Promise.all([page.waitForURL(/\/werkplek\/zaken\/[0-9a-f-]+$/), page.click(`text=${reference}`)]);
    assert.match(await page.textContent('main'), /Klacht \(Awb hoofdstuk 9\)/);
    await page.check('label:text-is("Test heffingen")');
    await page.fill('#anders', 'de aannemer');
    await Promise.all([page.waitForURL(/klaar=1/), page.click('button:text-is("Betrokkenen opslaan")')]);
    assert.match(await page.textContent('.betrokken'), /Test heffingen/);
    await assertAccessible(page, 'the case page of a klacht');

    await page.selectOption('#hoorzitting', 'gehouden');
    await page.fill('#gehouden-op', new Date().toISOString().slice(0, 10));
    await page.fill('#verslag', 'Klager legt uit wat er aan de telefoon gebeurde.');
    await Promise.all([page.waitForURL(/klaar=1/), page.click('button:text-is("Hoorzitting vastleggen")')]);
    assert.match(await page.textContent('.tijdlijn'), /Hoorzitting gehouden op/);
    await page.selectOption('#resultaat', 'deels_gegrond');
    await page.fill('#antwoord', 'De toon was niet goed; de uitleg over de aanslag klopte wel.');
    await page.fill('#maatregelen', 'Gesprekstraining voor het hele team.');
    await Promise.all([page.waitForURL(/klaar=1/), page.click('button:text-is("Afhandelen")')]);
    assert.match(await page.textContent('main'), /Deels gegrond/);
    await assertAccessible(page, 'a closed klacht');

    await page.goto(`${BASE}/werkplek/klachten/jaaroverzicht?jaar=${year}`);
    assert.match(await page.textContent('main'), /Gesprekstraining voor het hele team/);
    await assertAccessible(page, 'the annual overview');
    const csv = await page.request.get(`${BASE}/werkplek/klachten/jaaroverzicht.csv?jaar=${year}`);
    assert.equal(csv.status(), 200);
    const text = await csv.text();
    assert.match(text, /^jaar,onderwerp,ontvangen,gegrond,deels_gegrond,ongegrond,ingetrokken,zonder_oordeel,open/);
    assert.doesNotMatch(text, /WS-\d{4}|heffingen|onvriendelijk/i);
  } finally {
    await browser.close();
  }
});
