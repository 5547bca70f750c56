import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, launch, assertAccessible, signIn, waitForMail } from './browser.mjs';

// Issue 15: a beheerder samples every phone call, an agent closes a call of a customer with an
// e-mail address (segment agrariër), the invitation job runs (as `gastvrij mail survey-invitations`),
// the citizen answers through the link in the mail, and the team lead sees the answer on the
// dashboard and makes an action point of its comment. axe on every page.
test('a citizen answers the survey and the team lead makes an action point of the comment', async () => {
  const browser = await launch();
  const email = 'anja-enquete@example.nl';
  try {
    const admin = await browser.newPage();
    await signIn(admin, 'beheer', 'wachtwoord voor beheer');
    await admin.goto(`${BASE}/werkplek/cijfers/tevredenheid`);
    await admin.fill('#rate-telefoon', '100');
    await Promise.all([admin.waitForURL(/melding=/), admin.click('text=Steekproef opslaan')]);
    assert.match(await admin.textContent('main'), /De steekproef is opgeslagen/);
    await assertAccessible(admin, 'the satisfaction dashboard of a beheerder');

    const agent = await browser.newPage();
    await signIn(agent, 'agent', 'wachtwoord voor agent');
    await agent.goto(`${BASE}/werkplek`);
    await agent.selectOption('#kanaal', 'telefoon');
    await Promise.all([agent.waitForURL(/\/werkplek\/contacten\/[0-9a-f-]+$/), agent.click('text=Start contact')]);
    const contact = agent.url();
    await agent.click('summary');
    await agent.fill('#naam', 'Anja Boer');
    await agent.fill('#email', email);
    await Promise.all([agent.waitForURL(contact), agent.click('text=Klant opslaan en kiezen')]);
    await agent.check('#segment-agrariër');
    await Promise.all([agent.waitForURL(contact), agent.click('text=Segment opslaan')]);
    assert.ok(await agent.isChecked('#segment-agrariër'), 'the card shows the segment');
    await assertAccessible(agent, 'the customer card with its segment');
    await agent.fill('#vraag', 'Mag ik mijn sloot uitbaggeren?');
    await agent.fill('#antwoord', 'Ja, meld het twee weken van tevoren.');
    await Promise.all([agent.waitForURL(contact), agent.click('text=Vraag vastleggen')]);
    await Promise.all([agent.waitForURL(`${BASE}/werkplek`), agent.click('text=Contact afsluiten')]);

    execFileSync(process.env.GASTVRIJ_E2E_BIN, ['mail', 'survey-invitations'], { stdio: 'pipe' });
    const mail = await waitForMail(email, /Wat vond u van uw contact/);
    const link = mail.match(/https?:\/\/\S+\/enquete\/\S+/)[0].replace(/^https?:\/\/[^/]+/, BASE);

    const citizen = await browser.newPage();
    await citizen.goto(link);
    assert.match(await citizen.textContent('h1'), /Wat vond u van ons contact/);
    await assertAccessible(citizen, 'the survey page');
    await citizen.check('#cijfer-3');
    await citizen.check('#opgelost-nee');
    await citizen.check('#moeite-4');
    await citizen.fill('#toelichting', 'Niemand belde terug.');
    await citizen.click('button[type=submit]:has-text("Versturen")');
    assert.match(await citizen.textContent('main'), /Dank u wel voor uw mening/);
    await assertAccessible(citizen, 'the survey after answering');

    const lead = await browser.newPage();
    await signIn(lead, 'leider', 'wachtwoord voor leider');
    await lead.goto(`${BASE}/werkplek/cijfers`);
    await assertAccessible(lead, 'the figures index');
    await lead.goto(`${BASE}/werkplek/cijfers/tevredenheid?splits=segment`);
    assert.match(await lead.textContent('main'), /agrariër/);
    assert.match(await lead.textContent('main'), /Niemand belde terug/);
    await assertAccessible(lead, 'the satisfaction dashboard');
    await Promise.all([lead.waitForURL(/verbeterpunten/), lead.click('text=Maak verbeterpunt van deze opmerking')]);
    await lead.fill('#text', 'Terugbelverzoeken dezelfde dag oppakken');
    await lead.selectOption('#owner', { index: 1 });
    const due = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await lead.fill('#due', due);
    await Promise.all([lead.waitForURL(/melding=/), lead.click('text=Verbeterpunt opslaan')]);
    assert.match(await lead.textContent('main'), /Terugbelverzoeken dezelfde dag oppakken/);
    await assertAccessible(lead, 'the register of action points');
    await lead.goto(`${BASE}/werkplek/cijfers/tevredenheid`);
    assert.match(await lead.textContent('main'), /Verbeterpunt: Terugbelverzoeken dezelfde dag oppakken/);
  } finally {
    await browser.close();
  }
});
