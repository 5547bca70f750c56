import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, assertAccessible, signIn } from './browser.mjs';

test('the landing and sign-in pages are accessible and a keyboard-only sign-in works', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${BASE}/`);
    await assertAccessible(page, 'the landing page');
    await page.goto(`${BASE}/inloggen`);
    await assertAccessible(page, 'the sign-in page');

    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('agent');
    await page.keyboard.press('Tab');
    await page.keyboard.type('verkeerd wachtwoord');
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    assert.match(await page.textContent('[role=alert]'), /klopt niet/);
    await assertAccessible(page, 'the sign-in page with an error');

    await signIn(page, 'agent', 'wachtwoord voor agent');
    assert.match(await page.textContent('h1'), /Welkom/);
    await assertAccessible(page, 'the staff start page');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(`${BASE}/inloggen`);
  } finally {
    await browser.close();
  }
});
