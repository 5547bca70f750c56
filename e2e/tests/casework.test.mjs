// Case work in the back office (issue 14): a klacht from the portal is found in the team's
// queue, taken, suspended while waiting for the citizen, resumed, extended with a letter, asks
// another team something (answered from that team's queue) and is closed with an answer; the
// citizen's mails are checked at the SMTP server. The queues and the case page are checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, MAILBOX, launch, assertAccessible, signIn, waitForMail } from './browser.mjs';

test('queue, take, suspend, resume, extend, ask another team and close with an answer', async () => {
  const citizen = await launch();
  const staff = await launch();
  const colleague = await launch();
  const email = 'klager-zaakwerk@example.nl';
  try {
    const form = await citizen.newPage();
    await form.goto(`${BASE}/klacht`);
    const topic = await form.$eval('#onderwerp', (s) => [...s.options].find((o) => /Wateroverlast/.test(o.text)).value);
    await form.selectOption('#onderwerp', topic);
    await form.fill('#omschrijving', 'Mijn klacht over wateroverlast is twee keer niet beantwoord.');
    await form.check('#contact-email');
    await form.fill('#naam', 'K. Lager');
    await form.fill('#email', email);
    await Promise.all([form.waitForURL(/\/ontvangen\/[0-9a-f]{48}$/), form.click('button:text-is("Verstuur")')]);
    const reference = (await form.textContent('main')).match(/WS-\d{4}-\d{6}/)?.[0];
    assert.ok(reference, 'a reference on the confirmation');

    const desk = await staff.newPage();
    await signIn(desk, 'heffingen', 'wachtwoord voor heffingen');
    await desk.goto(`${BASE}/werkplek/zaken`);
    await desk.selectOption('#welke', 'zonder');
    await Promise.all([desk.waitForURL(/welke=zonder/), desk.click('button:text-is("Filteren")')]);
    await assertAccessible(desk, 'the filtered team queue');
    assert.ok((await desk.textContent('table')).includes(reference), 'the new klacht waits without an owner');
    await Promise.all([desk.waitForURL(/\/werkplek\/zaken\/[0-9a-f-]+$/), desk.click(`text=${reference}`)]);
    await assertAccessible(desk, 'the case page');

    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Zaak nemen")')]);
    assert.match(await desk.textContent('.eigenaar'), /Test heffingen/);

    await desk.fill('#gevraagd', 'Stuur ons een kopie van uw eerdere brief.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Opschorten")')]);
    assert.match(await desk.textContent('.termijn'), /opgeschort sinds .*, (nog \d+ werkdag|vandaag)/);
    await assertAccessible(desk, 'a suspended case');
    await desk.goto(`${BASE}/werkplek/zaken`);
    const row = await desk.textContent(`tr:has-text("${reference}")`);
    assert.match(row, /opgeschort sinds/);
    assert.doesNotMatch(row, /te laat/);
    await Promise.all([desk.waitForURL(/\/werkplek\/zaken\/[0-9a-f-]+$/), desk.click(`text=${reference}`)]);

    await desk.fill('#hervat-bericht', 'Dank u, we hebben de brief ontvangen.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Hervatten")')]);
    await desk.fill('#reden', 'We wachten op het advies van de klachtencommissie.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Termijn verlengen")')]);
    assert.match(await desk.textContent('.tijdlijn'), /Termijn berekend: verlengd/);

    await desk.selectOption('#team', { label: 'Waterbeheer' });
    await desk.fill('#vraag', 'Staat de sloot bij deze klager nog hoog?');
    await desk.fill('#nodig-op', new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Vraag versturen")')]);
    const other = await colleague.newPage();
    await signIn(other, 'waterbeheer', 'wachtwoord voor waterbeheer');
    await other.goto(`${BASE}/werkplek/zaken`);
    assert.match(await other.textContent('main'), /Staat de sloot bij deze klager nog hoog/);
    await assertAccessible(other, 'a queue with a task from another team');
    await other.fill(`textarea[id^="antwoord-"]`, 'Nee, het peil is weer normaal.');
    await Promise.all([other.waitForURL(`${BASE}/werkplek/zaken`), other.click('button:text-is("Antwoord versturen")')]);
    assert.doesNotMatch(await other.textContent('main'), /Staat de sloot/);
    await desk.reload();
    assert.match(await desk.textContent('main'), /Antwoord: Nee, het peil is weer normaal/);

    // A klacht is closed once the hearing question is settled (Awb 9:10).
    await desk.selectOption('#hoorzitting', 'klager_ziet_af');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Hoorzitting vastleggen")')]);
    await desk.selectOption('#resultaat', 'gegrond');
    await desk.fill('#antwoord', 'U heeft gelijk: we hadden eerder moeten antwoorden. De sloot wordt deze week geschoond.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Afhandelen")')]);
    const main = await desk.textContent('main');
    assert.match(main, /Gegrond/);
    assert.match(main, /Afgehandeld/);
    await assertAccessible(desk, 'a closed case with its timeline');

    if (MAILBOX) {
      await waitForMail(email, /We hebben iets van u nodig/);
      await waitForMail(email, /Meer tijd nodig voor uw klacht/);
      const answer = await waitForMail(email, /Antwoord op uw klacht/);
      assert.match(answer, /geschoond/);
    }
  } finally {
    await citizen.close();
    await staff.close();
    await colleague.close();
  }
});
