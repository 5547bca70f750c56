// Shared browser set-up: Debian's chromium with the flags this environment needs, and an axe
// check for WCAG 2.1 A/AA.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const BASE = process.env.GASTVRIJ_URL ?? 'http://127.0.0.1:8080';
/** Where the test SMTP server saves what it receives (e2e/run sets it). */
export const MAILBOX = process.env.GASTVRIJ_E2E_MAILBOX;

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

/** The mails the SMTP server received for `to`: subject and decoded body. */
export function mailsTo(to) {
  if (!MAILBOX) return [];
  let files = [];
  try { files = readdirSync(MAILBOX).filter((f) => f.endsWith('.json')); } catch { return []; }
  return files
    .map((f) => { try { return JSON.parse(readFileSync(join(MAILBOX, f), 'utf8')); } catch { return null; } })
    .filter((m) => m && m.rcpt_tos.map((r) => r.toLowerCase()).includes(to.toLowerCase()))
    .map((m) => `Subject: ${m.subject}\n\n${m.body}`);
}

export async function waitForMail(to, pattern) {
  for (let i = 0; i < 100; i++) {
    const found = mailsTo(to).find((m) => pattern.test(m));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`no mail to ${to} matching ${pattern}`);
}
