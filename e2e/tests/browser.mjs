// Shared browser set-up: Debian's chromium with the flags this environment needs, and an axe
// check for WCAG 2.1 A/AA.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const BASE = process.env.GASTVRIJ_URL ?? 'http://127.0.0.1:8080';

export async function launch({ javaScript = true } = {}) {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gv-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    javaScriptEnabled: javaScript,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Fails with the list of violations when axe finds any WCAG 2.1 A/AA issue on the page. */
export async function assertAccessible(page, what) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}x)`);
  assert.deepEqual(summary, [], `${what} has accessibility violations`);
}

/** Sign in with the keyboard only. */
export async function signIn(page, username, password) {
  await page.goto(`${BASE}/inloggen`);
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${BASE}/medewerkers`);
}
