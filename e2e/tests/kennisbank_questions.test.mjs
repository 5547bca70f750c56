import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

// e2e/run makes the agent "agent" (kcc) and the editor "redactie" (redacteur).
test('a question the kennisbank cannot answer reaches the editors, who start an article from it', async () => {
  const browser = await launch();
  try {
    const agent = await browser.newPage();
    await signIn(agent, 'agent', 'wachtwoord voor agent');
    // Found or not, nothing from the results is used: it counts as a question without an answer.
    await agent.goto(`${BASE}/werkplek/zoeken?q=${encodeURIComponent('xqzv wqpt 06-12345678')}`);
    assert.match(await agent.textContent('h1'), /Zoeken/);

    const editor = await browser.newPage();
    await signIn(editor, 'redactie', 'wachtwoord voor redactie');
    await editor.goto(`${BASE}/werkplek/kennisbank/vragen`);
    assert.match(await editor.textContent('h1'), /Vragen aan de kennisbank/);
    const main = await editor.textContent('main');
    assert.match(main, /xqzv wqpt \[telefoon\]/, 'masked before storage');
    assert.doesNotMatch(main, /12345678/);
    await assertAccessible(editor, 'the questions without an answer');
    const row = editor.locator('tr', { hasText: 'xqzv wqpt' });
    await Promise.all([editor.waitForURL(/\/werkplek\/artikelen\//), row.locator('button:has-text("Maak artikel")').click()]);
    assert.match(await editor.textContent('main'), /Nog te schrijven/);
  } finally {
    await browser.close();
  }
});
