// The KCC workspace in a real browser: a first-line answer from the kennisbank, a second-line
// consult answered by the back office in a second browser, then turned into an article, a
// third-line handover that lands in the team's queue, a forwarded question, and a contact
// completed with the keyboard only. Every workspace page is checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

async function startContact(page) {
  await page.goto(`${BASE}/werkplek`);
  await page.selectOption('#kanaal', 'telefoon');
  await page.fill('#wachttijd', '18');
  await Promise.all([page.waitForURL(/\/werkplek\/contacten\/[0-9a-f-]+$/), page.click('text=Start contact')]);
  return page.url();
}

async function typeQuestion(page, text) {
  await page.click('#vraag');
  await page.keyboard.type(text);
  await page.waitForSelector('#resultaten [data-result="1"]');
}

test('first line: the caller\'s words find the article, the agent uses it and records the answer', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'agent', 'wachtwoord voor agent');
    await page.goto(`${BASE}/werkplek`);
    await assertAccessible(page, 'the workspace start page');
    const contact = await startContact(page);
    await assertAccessible(page, 'a new contact');

    await typeQuestion(page, 'ik heb weinig inkomen en kan de aanslag niet betalen');
    // Results of the first letters may still be on screen; wait for those of the whole question.
    await page
      .waitForFunction(() => /Kwijtschelding/i.test(document.querySelector('#resultaten')?.textContent ?? ''), null, {
        timeout: 10000,
      })
      .catch(() => {});
    const results = await page.textContent('#resultaten');
    assert.match(results, /Kwijtschelding/i, 'the kennisbank answers while the agent types');
    await assertAccessible(page, 'the contact with live results');

    await Promise.all([page.waitForURL(/\/werkplek\/artikelen\//), page.keyboard.press('Alt+1')]);
    await assertAccessible(page, 'an article');
    await page.click('text=Gebruikt voor dit contact');
    await page.waitForURL(/gebruikt=1/);

    await page.goto(contact);
    await page.fill('#vraag', 'Kan ik kwijtschelding krijgen?');
    await page.fill('#antwoord', 'Ja, met het formulier op de website; wij besluiten binnen acht weken.');
    await Promise.all([page.waitForURL(contact), page.click('text=Vraag vastleggen')]);
    assert.match(await page.textContent('.vragen'), /Beantwoord \(eerste lijn\)/);

    await Promise.all([page.waitForURL(`${BASE}/werkplek`), page.click('text=Contact afsluiten')]);
    await page.goto(contact);
    assert.match(await page.textContent('main'), /Afgesloten; duur/);
  } finally {
    await browser.close();
  }
});

test('second line: a consult answered by the back office comes back on the agent\'s screen and becomes a draft article', async () => {
  const agentBrowser = await launch();
  const backBrowser = await launch();
  try {
    const agent = await agentBrowser.newPage();
    await signIn(agent, 'agent', 'wachtwoord voor agent');
    const contact = await startContact(agent);
    await agent.fill('#vraag', 'Geldt kwijtschelding ook voor de zuiveringsheffing van mijn bedrijf?');
    await agent.check('#uitkomst-consult');
    await agent.selectOption('#team', { label: 'Heffingen' });
    await Promise.all([agent.waitForURL(/melding=/), agent.click('text=Vraag vastleggen')]);
    assert.match(await agent.textContent('[role=status]'), /Ruggespraak gevraagd/);

    const back = await backBrowser.newPage();
    await signIn(back, 'heffingen', 'wachtwoord voor heffingen');
    await back.goto(`${BASE}/werkplek/ruggespraak`);
    await assertAccessible(back, 'the consultations page');
    assert.match(await back.textContent('main'), /zuiveringsheffing van mijn bedrijf/);
    await back.fill('textarea[name=answer]', 'Nee, bedrijven krijgen geen kwijtschelding; wel een betalingsregeling.');
    await Promise.all([back.waitForURL(`${BASE}/werkplek/ruggespraak`), back.click('text=Antwoord versturen')]);

    await agent.goto(contact);
    assert.match(await agent.textContent('.vragen'), /bedrijven krijgen geen kwijtschelding/);
    await Promise.all([agent.waitForURL(contact), agent.click('text=Antwoord gegeven aan de klant')]);
    assert.match(await agent.textContent('.vragen'), /Beantwoord na ruggespraak/);
    await Promise.all([agent.waitForURL(/melding=/), agent.click('text=Maak er een concept-artikel van')]);
    assert.match(await agent.textContent('[role=status]'), /Concept-artikel gemaakt/);
    assert.match(await agent.textContent('.vragen'), /Er is een concept-artikel van gemaakt/);
  } finally {
    await agentBrowser.close();
    await backBrowser.close();
  }
});

test('third line: a handover creates a case with a reference in the team\'s queue; a forwarded question names the other body', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'agent', 'wachtwoord voor agent');
    const contact = await startContact(page);
    await page.fill('#klant-zoek', 'Jansen');
    await Promise.all([page.waitForURL(/klant=Jansen/), page.getByRole('button', { name: 'Zoek klant' }).click()]);
    await page.click('summary');
    await page.fill('#naam', 'J. Jansen');
    await page.fill('#postcode', '2611 AB');
    await page.fill('#huisnummer', '12');
    await Promise.all([page.waitForURL(contact), page.click('text=Klant opslaan en kiezen')]);
    assert.match(await page.textContent('main'), /J\. Jansen/);

    await page.fill('#vraag', 'Ik ben het niet eens met de hoogte van mijn aanslag');
    await page.check('#uitkomst-handed_over');
    await page.selectOption('#team', { label: 'Heffingen' });
    await page.selectOption('#soort-zaak', 'klacht');
    await page.fill('#notitie', 'Klant belt voor de tweede keer; graag snel terugbellen.');
    await Promise.all([page.waitForURL(/melding=/), page.click('text=Vraag vastleggen')]);
    const message = await page.textContent('[role=status]');
    const reference = message.match(/zaak (\S+)\./)?.[1];
    assert.ok(reference, `a reference for the customer: ${message}`);
    assert.match(await page.textContent('.vragen'), /Overgedragen \(derde lijn\)/);

    await page.fill('#vraag', 'Er ligt een kapotte lantaarnpaal langs de weg');
    await page.check('#uitkomst-forwarded');
    await page.selectOption('#andere-organisatie', 'gemeente');
    await Promise.all([page.waitForURL(contact), page.click('text=Vraag vastleggen')]);
    assert.match(await page.textContent('.vragen'), /Doorgestuurd naar: gemeente/);
    assert.match(await page.textContent('.vragen'), /tot dan blijft het waterschap eigenaar/);
    await Promise.all([page.waitForURL(contact), page.click('text=gemeente heeft de vraag overgenomen')]);
    assert.match(await page.textContent('.vragen'), /Overname bevestigd op .*; de vraag is nu van gemeente/);
    await page.goto(`${BASE}/werkplek/doorgestuurd`);
    await assertAccessible(page, 'the forwarded questions not yet confirmed');
    assert.doesNotMatch(await page.textContent('main'), /kapotte lantaarnpaal/, 'a confirmed question is not listed');

    const back = await browser.newPage();
    await back.context().clearCookies();
    await signIn(back, 'heffingen', 'wachtwoord voor heffingen');
    await back.goto(`${BASE}/werkplek/zaken`);
    await assertAccessible(back, 'the team queue');
    const queue = await back.textContent('table');
    assert.ok(queue.includes(reference), 'the case is in the team\'s queue');
    assert.match(queue, /nog \d+ werkdag|vandaag/);
  } finally {
    await browser.close();
  }
});

test('keyboard only: start a contact, find the answer, record it and close, without a mouse', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'agent', 'wachtwoord voor agent');
    await page.goto(`${BASE}/werkplek`);
    await page.keyboard.press('Alt+n');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'kanaal');
    await page.keyboard.press('Tab');
    await page.keyboard.type('7');
    await Promise.all([page.waitForURL(/\/werkplek\/contacten\//), page.keyboard.press('Enter')]);
    const contact = page.url();

    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'vraag');
    await page.keyboard.type('wanneer moet ik de aanslag betalen');
    await page.waitForSelector('#resultaten [data-result="1"]');
    await page.keyboard.press('Control+Enter');
    await page.waitForURL(contact);
    assert.match(await page.textContent('.vragen'), /Beantwoord \(eerste lijn\)/);

    // Tab to "Contact afsluiten" and press Enter.
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => document.activeElement.textContent);
      if (label === 'Contact afsluiten') break;
    }
    await Promise.all([page.waitForURL(`${BASE}/werkplek`), page.keyboard.press('Enter')]);
  } finally {
    await browser.close();
  }
});

test('the directory and the search page are accessible and find people by subject', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'heffingen', 'wachtwoord voor heffingen');
    await page.goto(`${BASE}/werkplek/wie-weet-wat`);
    await assertAccessible(page, 'the directory');
    await page.fill('input[name=expertise]', 'kwijtschelding, invordering');
    await page.selectOption('select[name=availability]', 'in_meeting');
    await page.fill('input[name=until]', '15:30');
    await Promise.all([page.waitForURL(`${BASE}/werkplek/wie-weet-wat`), page.click('text=Opslaan')]);
    assert.match(await page.textContent('table'), /in overleg tot 15:30/);

    const agent = await browser.newPage();
    await agent.context().clearCookies();
    await signIn(agent, 'agent', 'wachtwoord voor agent');
    await agent.goto(`${BASE}/werkplek/zoeken?q=invordering`);
    await assertAccessible(agent, 'the search page');
    assert.match(await agent.textContent('main'), /Test heffingen/);
  } finally {
    await browser.close();
  }
});
