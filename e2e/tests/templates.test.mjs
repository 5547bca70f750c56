// Sjablonen (issue 14): a redacteur edits the acknowledgement, checks it (preview with example
// data and the plain-language check, nothing saved), saves it, sees the version in the history,
// and goes back to the standard text (so later scenarios get the built-in mail). Keyboard only
// for the buttons; every page checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

test('a redacteur edits, checks and saves a mail template, then goes back to the standard text', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'redactie', 'wachtwoord voor redactie');
    await page.goto(`${BASE}/werkplek/sjablonen`);
    assert.match(await page.textContent('h1'), /Sjablonen voor mails en brieven/);
    assert.match(await page.textContent('table'), /Ontvangstbevestiging/);
    await assertAccessible(page, 'the list of templates');

    await Promise.all([page.waitForURL(/\/werkplek\/sjablonen\/ontvangstbevestiging$/), page.click('text=Ontvangstbevestiging')]);
    assert.match(await page.textContent('main'), /\{uiterlijk\}/, 'the placeholders are explained');
    assert.match(await page.inputValue('#sjabloon-tekst'), /\{kenmerk\}/, 'starts from a text close to the standard one');
    await assertAccessible(page, 'the edit page');

    // A wrong placeholder is refused by name; the text stays.
    await page.fill('#sjabloon-onderwerp', 'Wij hebben uw {soort} ontvangen ({kenmerk})');
    await page.fill('#sjabloon-tekst', 'Beste {voornaam},\n\nUw nummer is {kenmerk}.\n{link}');
    await page.focus('button[value="opslaan"]');
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.waitForSelector('#fout');
    assert.match(await page.textContent('#fout'), /\{voornaam\}/);
    assert.match(await page.inputValue('#sjabloon-tekst'), /Beste \{voornaam\}/);
    await assertAccessible(page, 'the edit page with an error');

    const body = 'Beste {naam},\n\nBedankt voor uw {soort}. Uw nummer is {kenmerk}.\nU hoort uiterlijk op {uiterlijk} van ons.\n\nHier ziet u hoe het gaat:\n{link}\n\nMet vriendelijke groet,\n{organisatie}';
    await page.fill('#sjabloon-tekst', body);
    await page.focus('button[value="controleer"]');
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.waitForSelector('#voorbeeld');
    assert.match(await page.textContent('main'), /Beste Jan Jansen,/);
    assert.match(await page.textContent('#taalcheck + p, .taalcheck'), /B1/);
    await assertAccessible(page, 'the preview and the plain-language check');

    await page.focus('button[value="opslaan"]');
    await Promise.all([page.waitForURL(/opgeslagen=1/), page.keyboard.press('Enter')]);
    const saved = await page.textContent('main');
    assert.match(saved, /Opgeslagen als versie 1/);
    assert.match(saved, /aangepast \(versie 1, door Test redactie/);
    assert.match(saved, /Taalcheck/);
    await assertAccessible(page, 'the page after saving');

    await Promise.all([page.waitForURL(/standaard=1/), page.click('button:text-is("Terug naar standaardtekst")')]);
    const back = await page.textContent('main');
    assert.match(back, /De standaardtekst wordt weer gebruikt/);
    assert.match(back, /Versie 2, door Test redactie/);
    await page.goto(`${BASE}/werkplek/sjablonen`);
    assert.doesNotMatch(await page.textContent('table'), /aangepast/);
  } finally {
    await browser.close();
  }
});
