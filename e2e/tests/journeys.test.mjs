import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

// e2e/run makes the redacteur "redactie", the KCC agent "agent" and the topic "Wateroverlast".
// The e2e server has no demo data, so the redacteur first builds the journey with the forms.
test('a redacteur builds and edits a customer journey and an agent opens its map', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'redactie', 'wachtwoord voor redactie');
    await page.goto(`${BASE}/werkplek/klantreizen`);
    assert.match(await page.textContent('h1'), /Klantreizen/);
    await assertAccessible(page, 'the journey list');

    await page.click('a:has-text("Nieuwe klantreis maken")');
    await assertAccessible(page, 'the new journey form');
    await page.fill('#reis-naam', 'Inwoner meldt wateroverlast');
    await page.selectOption('#reis-doelgroep', 'inwoner');
    await page.fill('#reis-proces', 'Melding');
    await page.click('button[type=submit]:has-text("Klantreis maken")');
    await page.waitForURL(/\/bewerken\?melding=/);
    await assertAccessible(page, 'the edit page without steps');

    // A step without links is refused with the fix, the typed text kept.
    await page.click('a:has-text("Stap toevoegen")');
    await page.fill('#stap-naam', 'Melden');
    await page.fill('#stap-verwachting', 'Ik weet dat mijn melding is aangekomen.');
    await page.click('button[type=submit]:has-text("Stap opslaan")');
    assert.match(await page.textContent('#fout'), /kies minstens één onderwerp, kanaal of status/);
    assert.equal(await page.inputValue('#stap-naam'), 'Melden');
    await assertAccessible(page, 'the step form with an error');
    await page.check('#kanaal-webformulier');
    await page.check('label:has-text("Wateroverlast") >> xpath=preceding-sibling::input');
    await page.check('#stap-waarheid');
    await page.click('button[type=submit]:has-text("Stap opslaan")');
    await page.waitForURL(/\/bewerken\?melding=/);

    await page.click('a:has-text("Stap toevoegen")');
    await page.fill('#stap-naam', 'Opgelost');
    await page.fill('#stap-verwachting', 'Het water is weg.');
    await page.check('#status-afgehandeld');
    await page.click('button[type=submit]:has-text("Stap opslaan")');
    await page.waitForURL(/\/bewerken\?melding=/);

    // Edit a touchpoint: move "Opgelost" up, then rename it.
    await page.click('button:has-text("Stap 2 omhoog")');
    await page.waitForURL(/\/bewerken\?melding=/);
    const steps = await page.locator('ol.reis-stappen > li h3').allTextContents();
    assert.deepEqual(steps, ['1. Opgelost', '2. Melden']);
    await assertAccessible(page, 'the edit page with steps');
    await page.click('a:has-text("Wijzig stap 1")');
    await assertAccessible(page, 'the step form');
    await page.fill('#stap-naam', 'Water is weg');
    await page.check('#stap-piek');
    await page.click('button[type=submit]:has-text("Stap opslaan")');
    await page.waitForURL(/\/bewerken\?melding=/);
    assert.match(await page.textContent('main'), /1\. Water is weg/);
    assert.match(await page.textContent('main'), /Kenmerken: piekmoment/);

    const agent = await browser.newPage();
    await signIn(agent, 'agent', 'wachtwoord voor agent');
    await agent.goto(`${BASE}/werkplek/klantreizen`);
    await agent.click('a:has-text("Inwoner meldt wateroverlast")');
    assert.match(await agent.textContent('h1'), /Klantreis: Inwoner meldt wateroverlast/);
    const items = await agent.locator('ol.reis-stappen > li h3').allTextContents();
    assert.deepEqual(items, ['1. Water is weg', '2. Melden']);
    // The figures count what other scenarios stored too; the map shows them per step.
    assert.match(await agent.textContent('main'), /Contacten: \d+; zaken: \d+/);
    await assertAccessible(agent, 'the journey map');
    assert.equal(await agent.locator('a:has-text("Bewerk deze klantreis")').count(), 0, 'an agent does not edit');
    const csv = await agent.request.get(`${BASE}${await agent.getAttribute('a:has-text("Download de cijfers als CSV")', 'href')}`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^position,touchpoint,moment_of_truth/);
  } finally {
    await browser.close();
  }
});
