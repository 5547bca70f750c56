// The team board (/werkplek/team, issue 14) follows case work step by step: a klacht from the
// portal is taken, suspended, resumed, extended, asks another team something and is closed,
// and after each step the board's figures move as docs/team-board.md defines them. Without
// JavaScript the team lead sets a goal and a member writes a dagstart note with an action point
// and ticks it off. The board is checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

/** The board's figures, by label. */
async function figures(page) {
  await page.goto(`${BASE}/werkplek/team`);
  const cells = await page.$$eval('[data-cijfer]', (tds) => tds.map((td) => [td.dataset.cijfer, Number(td.textContent)]));
  return Object.fromEntries(cells);
}

test('the board reflects queue, take, suspend, resume, extend, internal task and close', async () => {
  const citizen = await launch();
  const staff = await launch();
  try {
    const desk = await staff.newPage();
    await signIn(desk, 'heffingen', 'wachtwoord voor heffingen');
    const before = await figures(desk);
    await assertAccessible(desk, 'the team board');

    const form = await citizen.newPage();
    await form.goto(`${BASE}/klacht`);
    const topic = await form.$eval('#onderwerp', (s) => [...s.options].find((o) => /Wateroverlast/.test(o.text)).value);
    await form.selectOption('#onderwerp', topic);
    await form.fill('#omschrijving', 'Het teambord moet deze klacht over wateroverlast laten zien.');
    await form.check('#contact-email');
    await form.fill('#naam', 'T. Bord');
    await form.fill('#email', 'teambord@example.nl');
    await Promise.all([form.waitForURL(/\/ontvangen\/[0-9a-f]{48}$/), form.click('button:text-is("Verstuur")')]);
    const reference = (await form.textContent('main')).match(/WS-\d{4}-\d{6}/)?.[0];
    assert.ok(reference);

    const queued = await figures(desk);
    assert.equal(queued['Werkvoorraad nu (open zaken)'], before['Werkvoorraad nu (open zaken)'] + 1, 'in the queue');
    assert.equal(queued['Zonder eigenaar'], before['Zonder eigenaar'] + 1);
    assert.equal(queued['Binnengekomen vandaag'], before['Binnengekomen vandaag'] + 1);

    await desk.click('a:text-is("Zonder eigenaar")');
    assert.ok((await desk.textContent('table')).includes(reference), 'the link opens the filtered queue');
    await Promise.all([desk.waitForURL(/\/werkplek\/zaken\/[0-9a-f-]+$/), desk.click(`text=${reference}`)]);
    const casePage = desk.url();
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Zaak nemen")')]);
    const taken = await figures(desk);
    assert.equal(taken['Zonder eigenaar'], before['Zonder eigenaar'], 'taken: it has an owner');

    await desk.goto(casePage);
    await desk.fill('#gevraagd', 'Stuur ons een foto van de schade.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Opschorten")')]);
    const suspended = await figures(desk);
    assert.equal(suspended['Opgeschort (wacht op klant)'], before['Opgeschort (wacht op klant)'] + 1);
    assert.equal(suspended['Te laat'], before['Te laat'], 'a suspended case is not late');

    await desk.goto(casePage);
    await desk.fill('#hervat-bericht', 'Dank u voor de foto.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Hervatten")')]);
    await desk.fill('#reden', 'We wachten op het advies van de klachtencommissie.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Termijn verlengen")')]);
    const resumed = await figures(desk);
    assert.equal(resumed['Opgeschort (wacht op klant)'], before['Opgeschort (wacht op klant)'], 'resumed');
    assert.equal(resumed['Werkvoorraad nu (open zaken)'], queued['Werkvoorraad nu (open zaken)'], 'still open');

    await desk.goto(casePage);
    await desk.selectOption('#team', { label: 'Waterbeheer' });
    await desk.fill('#vraag', 'Is de sloot bij deze klager geschoond?');
    await desk.fill('#nodig-op', new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Vraag versturen")')]);
    const asked = await figures(desk);
    assert.equal(asked['Werkvoorraad nu (open zaken)'], queued['Werkvoorraad nu (open zaken)'], 'a task is no case');

    await desk.goto(casePage);
    // A klacht is closed once the hearing question is settled (Awb 9:10).
    await desk.selectOption('#hoorzitting', 'klager_ziet_af');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Hoorzitting vastleggen")')]);
    await desk.selectOption('#resultaat', 'gegrond');
    await desk.fill('#antwoord', 'U heeft gelijk; de sloot is geschoond.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Afhandelen")')]);
    const closed = await figures(desk);
    assert.equal(closed['Werkvoorraad nu (open zaken)'], before['Werkvoorraad nu (open zaken)'], 'closed');
    assert.equal(closed['Afgehandeld vandaag'], before['Afgehandeld vandaag'] + 1);
    assert.match(await desk.textContent('#norm'), /binnen de norm .*doel 90%/);
    await assertAccessible(desk, 'the board after closing');
  } finally {
    await citizen.close();
    await staff.close();
  }
});

test('without JavaScript the lead sets a goal and a member keeps a note with an action point', async () => {
  const lead = await launch({ javaScript: false });
  const member = await launch({ javaScript: false });
  const checker = await launch();
  try {
    const leader = await lead.newPage();
    await signIn(leader, 'heffingen-leider', 'wachtwoord voor heffingen-leider');
    await leader.goto(`${BASE}/werkplek/team`);
    await leader.selectOption('#doel-soort', 'werkvoorraad_onder');
    await leader.fill('#doel', '40');
    await Promise.all([leader.waitForURL(/melding=/), leader.click('button:text-is("Doel opslaan")')]);
    assert.match(await leader.textContent('#doelen'), /werkvoorraad onder 40: (Gehaald|Niet gehaald)/);

    const desk = await member.newPage();
    await signIn(desk, 'heffingen', 'wachtwoord voor heffingen');
    await desk.goto(`${BASE}/werkplek/team`);
    assert.equal(await desk.$('#doel'), null, 'a member sets no goals');
    assert.match(await desk.textContent('#doelen'), /werkvoorraad onder 40/);
    await desk.selectOption('#notitie-soort', 'dagstart');
    await desk.fill('#notitie-tekst', 'Veel vragen over de aanslag; extra uitleg op de site.');
    await desk.fill('#actie1', 'Tekst voor de site aanleveren');
    await desk.selectOption('#eigenaar1', { label: 'Test heffingen' });
    await Promise.all([desk.waitForURL(/melding=/), desk.click('button:text-is("Notitie opslaan")')]);
    assert.match(await desk.textContent('main'), /Tekst voor de site aanleveren: Test heffingen, open/);
    await Promise.all([desk.waitForURL(/melding=/), desk.click('button:has-text("Afvinken: Tekst voor de site aanleveren")')]);
    assert.match(await desk.textContent('main'), /Tekst voor de site aanleveren: Test heffingen, klaar/);

    // axe needs JavaScript: the same boards in a browser that has it.
    const check = await checker.newPage();
    await signIn(check, 'heffingen-leider', 'wachtwoord voor heffingen-leider');
    await check.goto(`${BASE}/werkplek/team`);
    await assertAccessible(check, 'the board with a goal and a note, as the team lead');
    await check.fill('#doel', 'veel');
    await Promise.all([check.waitForURL(/\/doelen$/), check.click('button:text-is("Doel opslaan")')]);
    assert.match(await check.textContent('#fout'), /Controleer het doel/);
    await assertAccessible(check, 'the board with an error');
  } finally {
    await lead.close();
    await member.close();
    await checker.close();
  }
});
