import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

// The day in the organisation's time zone, as the date field wants it (YYYY-MM-DD).
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());

// e2e/run makes the beheerder "beheer" and the team lead "leider".
test('a beheerder changes the phone target and the team lead sees it on the norm dashboard', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'beheer', 'wachtwoord voor beheer');
    await page.goto(`${BASE}/werkplek/normen`);
    assert.match(await page.textContent('h1'), /Normen/);
    assert.match(await page.textContent('main'), /het begin \(standaard\)/);
    await assertAccessible(page, 'the norm editor');

    // A mistake first: the form comes back with the field named, nothing saved.
    await page.fill('#geldig_vanaf', today);
    await page.fill('#telefoon_doel', '170');
    await page.click('button[type=submit]:has-text("Normen opslaan")');
    assert.match(await page.textContent('main'), /De normen zijn niet opgeslagen/);
    assert.match(await page.textContent('#telefoon_doel-fout'), /een getal van 0 tot en met 100/);
    assert.equal(await page.inputValue('#telefoon_doel'), '170', 'what was typed stays');
    await assertAccessible(page, 'the norm editor with an error');

    await page.fill('#telefoon_doel', '70');
    await page.click('button[type=submit]:has-text("Normen opslaan")');
    await page.waitForURL(/\/werkplek\/normen\?melding=/);
    assert.match(await page.textContent('main'), /De normen zijn opgeslagen/);
    assert.match(await page.textContent('main'), /70% binnen 25 s/);

    const lead = await browser.newPage();
    await signIn(lead, 'leider', 'wachtwoord voor leider');
    await lead.goto(`${BASE}/werkplek/cijfers/normen`);
    assert.match(await lead.textContent('h1'), /Servicenormen/);
    const bereikbaarheid = await lead.textContent('section[aria-labelledby="categorie-1"]');
    assert.match(bereikbaarheid, /doel 70%/);
    // Category 4 is measured from the search log and the server's own portal checks: a figure
    // once there is one, else "nog niet gemeten" (which depends on what ran before).
    const information = await lead.textContent('section[aria-labelledby="categorie-4"]');
    assert.match(information, /Zoekvragen die eindigen op een antwoord dat hielp\s*(Resultaat: \d+%, doel 80%|Nog niet gemeten)/i);
    assert.match(information, /Beschikbaarheid van de website\s*(Resultaat: \d+%, doel 99,5%|Nog niet gemeten)/i);
    assert.match(await lead.textContent('section[aria-labelledby="vandaag"]'), /Gesprekken aangeboden/);
    await assertAccessible(lead, 'the norm dashboard');

    // Filter by channel with the keyboard-usable form; the CSV follows the same filter.
    await lead.selectOption('#kanaal', 'telefoon');
    await lead.click('button[type=submit]:has-text("Toon")');
    await lead.waitForURL(/kanaal=telefoon/);
    await assertAccessible(lead, 'the norm dashboard filtered');
    const href = await lead.getAttribute('a:has-text("Download de cijfers als CSV")', 'href');
    assert.match(href, /kanaal=telefoon/);
    const csv = await lead.request.get(`${BASE}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^category,measure,week,value,target,measured,late,at_risk,open/);
  } finally {
    await browser.close();
  }
});
