// The editors' workspace of the kennisbank (issue 16) in a real browser: the back office answers
// a consultation in ruggespraak and the agent makes a draft article of it; a redacteur finds the
// draft under "Wacht op werk", edits it (checks the public answer with "Controleer"), sends it for
// review and may not approve it herself; a second redacteur approves it to openbaar; the KCC search
// and the public answers page find it. Every editor page is checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

const QUESTION = 'Mag ik zonnepanelen leggen op het talud van de dijk achter mijn huis?';
const TITLE = 'Zonnepanelen op een dijktalud';

/** Press a button with the keyboard and wait for the next page. */
async function press(page, selector) {
  await page.focus(selector);
  // Wait for the page the form leads to (the current one counts as loaded already).
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
}

test('a draft from ruggespraak is edited, reviewed by a second redacteur and found in the KCC search and on /antwoorden', async () => {
  const browser = await launch();
  try {
    // The agent asks the back office; Heffingen answers in ruggespraak; the agent makes a draft.
    const agent = await browser.newPage();
    await signIn(agent, 'agent', 'wachtwoord voor agent');
    await agent.goto(`${BASE}/werkplek`);
    await agent.selectOption('#kanaal', 'telefoon');
    await agent.fill('#wachttijd', '12');
    await Promise.all([agent.waitForURL(/\/werkplek\/contacten\/[0-9a-f-]+$/), agent.click('text=Start contact')]);
    const contact = agent.url();
    await agent.fill('#vraag', QUESTION);
    await agent.check('#uitkomst-consult');
    await agent.selectOption('#team', { label: 'Heffingen' });
    await Promise.all([agent.waitForURL(/melding=/), agent.click('text=Vraag vastleggen')]);

    const backBrowser = await launch();
    try {
      const back = await backBrowser.newPage();
      await signIn(back, 'heffingen', 'wachtwoord voor heffingen');
      await back.goto(`${BASE}/werkplek/ruggespraak`);
      const asked = back.locator('article.ruggespraak', { hasText: 'zonnepanelen' });
      await asked.locator('textarea[name=answer]').fill(
        'Nee, zonder watervergunning mag dat niet: een dijk moet sterk blijven. Vraag een watervergunning aan.',
      );
      await Promise.all([back.waitForURL(`${BASE}/werkplek/ruggespraak`), asked.locator('button').click()]);
    } finally {
      await backBrowser.close();
    }
    await agent.goto(contact);
    await Promise.all([agent.waitForURL(contact), agent.click('text=Antwoord gegeven aan de klant')]);
    await Promise.all([agent.waitForURL(/melding=/), agent.click('text=Maak er een concept-artikel van')]);
    assert.match(await agent.textContent('[role=status]'), /Concept-artikel gemaakt/);

    // The first redacteur: the draft waits for work.
    const editorBrowser = await launch();
    let articleUrl;
    try {
      const editor = await editorBrowser.newPage();
      await signIn(editor, 'redactie', 'wachtwoord voor redactie');
      await editor.goto(`${BASE}/werkplek/kennisbank`);
      assert.match(await editor.textContent('h1'), /Kennisbank/);
      const waiting = editor.locator('section[aria-labelledby=wacht-kop]');
      assert.match(await waiting.textContent(), /zonnepanelen leggen op het talud/);
      await assertAccessible(editor, 'the kennisbank list');
      await Promise.all([
        editor.waitForURL(/\/werkplek\/kennisbank\/[0-9a-f-]+$/),
        waiting.locator('a', { hasText: 'zonnepanelen' }).click(),
      ]);
      articleUrl = editor.url();
      assert.match(await editor.inputValue('#antwoord'), /watervergunning/);
      await assertAccessible(editor, 'the article editor');

      // Bad input: the title emptied is named beside the field; nothing is saved.
      await editor.fill('#titel', '');
      await editor.evaluate(() => document.querySelector('#titel').removeAttribute('required'));
      await press(editor, 'button[value="opslaan"]');
      assert.match(await editor.textContent('#fout-titel'), /Controleer de titel/);
      await assertAccessible(editor, 'the article editor with an error');

      await editor.fill('#titel', TITLE);
      await editor.fill(
        '#openbaar',
        'Wilt u zonnepanelen op een dijk leggen? Dan heeft u een watervergunning nodig. De dijk moet sterk blijven.',
      );
      await editor.fill('#trefwoorden', 'zonnepanelen\ndijk\ntalud');
      await press(editor, 'button[value="controleer"]');
      await editor.waitForSelector('#taalcheck');
      assert.match(await editor.textContent('.taalcheck'), /B1/);
      await assertAccessible(editor, 'the article editor with the plain-language check');
      await press(editor, 'button[value="opslaan"]');
      assert.match(await editor.textContent('[role=status]'), /Opgeslagen als versie 2/);

      await press(editor, 'button:has-text("Stuur ter beoordeling")');
      assert.match(await editor.textContent('[role=status]'), /Ter beoordeling/);
      // She edited it last: approving is for another redacteur.
      await press(editor, 'button:has-text("Keur goed: openbaar")');
      assert.match(await editor.textContent('#fout'), /als laatste bewerkt/);
      await assertAccessible(editor, 'the article editor with the four-eyes refusal');

      await editor.goto(`${articleUrl}/versies`);
      assert.match(await editor.textContent('main'), /Erbij: titel: Zonnepanelen op een dijktalud/);
      await assertAccessible(editor, 'the versions page');
      await editor.goto(`${BASE}/werkplek/kennisbank/synoniemen`);
      await assertAccessible(editor, 'the synonyms page');
      await editor.goto(`${BASE}/werkplek/kennisbank/nieuw`);
      await assertAccessible(editor, 'a new article');
    } finally {
      await editorBrowser.close();
    }

    // The second redacteur approves it to openbaar.
    const reviewerBrowser = await launch();
    try {
      const reviewer = await reviewerBrowser.newPage();
      await signIn(reviewer, 'redactie2', 'wachtwoord voor redactie2');
      await reviewer.goto(articleUrl);
      await press(reviewer, 'button:has-text("Keur goed: openbaar")');
      assert.match(await reviewer.textContent('[role=status]'), /De status is nu: Openbaar/);
      await reviewer.goto(`${BASE}/werkplek/kennisbank?status=openbaar`);
      assert.match(await reviewer.textContent('main'), new RegExp(TITLE));
      await assertAccessible(reviewer, 'the filtered kennisbank list');
    } finally {
      await reviewerBrowser.close();
    }

    // The KCC search finds it (the index follows within moments), and so does the public page.
    let found = '';
    for (let i = 0; i < 50 && !found.includes(TITLE); i++) {
      await agent.goto(`${BASE}/werkplek/zoeken?q=${encodeURIComponent('zonnepanelen op de dijk')}`);
      found = await agent.textContent('main');
      if (!found.includes(TITLE)) await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(found, new RegExp(TITLE), 'the KCC search finds the approved article');
    const citizen = await browser.newPage();
    await citizen.goto(`${BASE}/antwoorden?q=${encodeURIComponent('zonnepanelen dijk')}`);
    assert.match(await citizen.textContent('main'), new RegExp(TITLE), 'the public answers page finds it');
    await Promise.all([citizen.waitForURL(/\/antwoorden\/[^?]+/), citizen.click(`text=${TITLE}`)]);
    assert.match(await citizen.textContent('main'), /watervergunning nodig/);
  } finally {
    await browser.close();
  }
});
