// The public portal in a real browser: each form (vraag, melding, klacht) sent with and without
// JavaScript, the tracking link followed, information added, the survey answered after the
// team closed the case, a question prevented by a public answer, and a calamity: reports near
// each other grouped into one incident that gets one update and a banner. Every public page is
// checked with axe (in a JavaScript-enabled browser, since axe itself is a script).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { BASE, MAILBOX, launch, assertAccessible, signIn, waitForMail } from './browser.mjs';


/** A small valid PNG (4×4, red) with a tEXt chunk the server must strip. */
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(4, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.concat(Array.from({ length: 4 }, () => Buffer.from([0, ...Array(4).fill([255, 0, 0]).flat()])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Author\0Jan de Vries', 'latin1')),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Check a page's accessibility in a browser with JavaScript (axe needs it). */
async function checkPage(browser, url, what) {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await assertAccessible(page, what);
  } finally {
    await page.close();
  }
}

async function fillMelding(page, { description, postcode, huisnummer, email }) {
  const topic = await page.$eval('#onderwerp', (s) => [...s.options].find((o) => /Wateroverlast/.test(o.text)).value);
  await page.selectOption('#onderwerp', topic);
  await page.fill('#omschrijving', description);
  await page.fill('#postcode', postcode);
  await page.fill('#huisnummer', huisnummer);
  await page.check('#contact-email');
  await page.fill('#email', email);
}

async function send(page) {
  await Promise.all([page.waitForURL(/\/ontvangen\/[0-9a-f]{48}$/), page.click('button:text-is("Verstuur")')]);
  const main = await page.textContent('main');
  const reference = main.match(/WS-\d{4}-\d{6}/)?.[0];
  assert.ok(reference, `a reference on the confirmation: ${main}`);
  const token = page.url().split('/').pop();
  return { reference, token };
}

test('public pages meet WCAG 2.1 AA', async () => {
  const browser = await launch();
  try {
    for (const [path, what] of [
      ['/', 'the start page'],
      ['/vraag', 'the question form'],
      ['/melding', 'the report form'],
      ['/klacht', 'the complaint form'],
      ['/antwoorden?q=kwijtschelding', 'the public answers'],
      ['/werkzaamheden', 'the activity calendar'],
      ['/werkzaamheden?postcode=2611', 'the activity calendar searched by postcode'],
      ['/volgen/' + '0'.repeat(48), 'an unknown tracking link'],
    ]) {
      await checkPage(browser, BASE + path, what);
    }
    // The form with every error shown.
    const page = await browser.newPage();
    await page.goto(`${BASE}/melding`);
    await page.click('button:text-is("Verstuur")');
    await page.waitForSelector('#fouten');
    assert.match(await page.textContent('#fouten'), /Beschrijf wat u ziet/);
    await assertAccessible(page, 'the report form with errors');
  } finally {
    await browser.close();
  }
});

test('a melding without JavaScript, with a photo, followed by its tracking link', async () => {
  const browser = await launch({ javaScript: false });
  const checker = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${BASE}/`);
    await Promise.all([page.waitForURL(`${BASE}/melding`), page.click('text=Ik wil iets melden')]);

    // A mistake first: the form comes back with the text kept and the error named.
    await page.fill('#omschrijving', 'Water staat tot de drempel in de Molenstraat');
    await page.click('button:text-is("Verstuur")');
    await page.waitForSelector('#fouten');
    assert.match(await page.textContent('#fouten'), /Kies waar uw melding over gaat/);
    assert.equal(await page.inputValue('#omschrijving'), 'Water staat tot de drempel in de Molenstraat');

    await fillMelding(page, {
      description: 'Water staat tot de drempel in de Molenstraat',
      postcode: '2611 AB',
      huisnummer: '12',
      email: 'melder-zonder-js@example.nl',
    });
    await page.setInputFiles('#fotos', { name: 'straat.png', mimeType: 'image/png', buffer: png() });
    const { reference, token } = await send(page);
    assert.match(await page.textContent('main'), /U hoort uiterlijk op/);
    await checkPage(checker, page.url(), 'the confirmation');

    await Promise.all([page.waitForURL(`${BASE}/volgen/${token}`), page.click('text=Bekijk hoe het met uw melding gaat')]);
    const main = await page.textContent('main');
    assert.match(main, new RegExp(reference));
    assert.match(main, /We hebben uw melding ontvangen/);
    const photo = await page.getAttribute('img.foto', 'src');
    const res = await page.request.get(BASE + photo);
    assert.equal(res.headers()['content-type'], 'image/png');
    assert.ok(!(await res.body()).includes(Buffer.from('Jan de Vries')), 'the photo lost its metadata');

    await page.fill('#bericht', 'Het water stijgt nog steeds.');
    await Promise.all([page.waitForURL(/toegevoegd=1/), page.click('button:text-is("Toevoegen")')]);
    assert.match(await page.textContent('main'), /Het water stijgt nog steeds/);
    await checkPage(checker, `${BASE}/volgen/${token}`, 'the tracking page');

    if (MAILBOX) {
      const mail = await waitForMail('melder-zonder-js@example.nl', new RegExp(reference));
      assert.match(mail, new RegExp(`/volgen/${token}`), 'the confirmation mail carries the tracking link');
    }
  } finally {
    await browser.close();
    await checker.close();
  }
});

test('a melding with danger reaches the on-call address at once', { skip: !MAILBOX && 'needs the SMTP mailbox' }, async () => {
  const browser = await launch({ javaScript: false });
  try {
    const page = await browser.newPage();
    await page.goto(`${BASE}/melding`);
    await fillMelding(page, {
      description: 'De kade bij het gemaal zakt weg en er stroomt water over',
      postcode: '2611 AB',
      huisnummer: '3',
      email: 'melder-gevaar@example.nl',
    });
    await page.check('#gevaar-ja');
    const { reference } = await send(page);
    assert.match(await page.textContent('main'), /U gaf aan dat er nu gevaar is/);
    const alert = await waitForMail('storingsdienst@waterschap.test', new RegExp(reference));
    assert.match(alert, /waarbij nu gevaar is/);
    assert.match(alert, /De kade bij het gemaal zakt weg/);
    assert.match(alert, /\/werkplek\/zaken\/[0-9a-f-]{36}/, 'the alert links to the case');
    await waitForMail('melder-gevaar@example.nl', new RegExp(reference));
  } finally {
    await browser.close();
  }
});

test('a question with JavaScript: a public answer appears while typing and prevents it', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${BASE}/vraag`);
    await page.click('#omschrijving');
    await page.keyboard.type('kan ik kwijtschelding krijgen voor de aanslag');
    await page.waitForSelector('#suggesties li a');
    await assertAccessible(page, 'the question form with suggestions');
    await Promise.all([page.waitForURL(/\/antwoorden\//), page.click('#suggesties li a')]);
    await assertAccessible(page, 'a public answer');
    await page.click('text=Ja, dit beantwoordt mijn vraag');
    await page.waitForSelector('text=Fijn dat we u konden helpen');
  } finally {
    await browser.close();
  }
});

test('a question without JavaScript: search first, then send it', async () => {
  const browser = await launch({ javaScript: false });
  try {
    const page = await browser.newPage();
    await page.goto(`${BASE}/vraag`);
    await page.fill('#omschrijving', 'Hoe vraag ik kwijtschelding aan?');
    await page.click('text=Zoek eerst een antwoord');
    await page.waitForSelector('#suggesties li a');
    assert.equal(await page.inputValue('#omschrijving'), 'Hoe vraag ik kwijtschelding aan?');
    await page.check('#contact-email');
    await page.fill('#email', 'vrager@example.nl');
    const { reference } = await send(page);
    assert.match(await page.textContent('main'), /vraag ontvangen/);
    if (MAILBOX) await waitForMail('vrager@example.nl', new RegExp(reference));
  } finally {
    await browser.close();
  }
});

test('a klacht with and without JavaScript', async () => {
  for (const javaScript of [true, false]) {
    const browser = await launch({ javaScript });
    try {
      const page = await browser.newPage();
      await page.goto(`${BASE}/klacht`);
      await page.fill('#omschrijving', 'Ik ben drie keer niet teruggebeld over mijn aanslag.');
      await page.check('#contact-email');
      await page.fill('#naam', 'J. de Vries');
      await page.fill('#email', `klager-${javaScript ? 'js' : 'zonder-js'}@example.nl`);
      await send(page);
      assert.match(await page.textContent('main'), /binnen 6 weken/);
    } finally {
      await browser.close();
    }
  }
});

test('after closure the citizen answers the survey and asks to look again; the team sees it', async () => {
  const citizen = await launch();
  const staff = await launch();
  try {
    const page = await citizen.newPage();
    await page.goto(`${BASE}/melding`);
    await fillMelding(page, {
      description: 'Stuw bij de Oude Gracht zit vast',
      postcode: '2612 AC',
      huisnummer: '3',
      email: 'tevreden@example.nl',
    });
    const { reference, token } = await send(page);

    const desk = await staff.newPage();
    await signIn(desk, 'heffingen', 'wachtwoord voor heffingen');
    await desk.goto(`${BASE}/werkplek/zaken`);
    await Promise.all([desk.waitForURL(/\/werkplek\/zaken\/[0-9a-f-]+$/), desk.click(`text=${reference}`)]);
    await assertAccessible(desk, 'the case page');
    await desk.fill('#answer', 'We hebben de stuw vrijgemaakt.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('text=Bericht versturen')]);
    await desk.fill('#antwoord', 'De stuw is weer vrij; dank voor uw melding.');
    await Promise.all([desk.waitForURL(/klaar=1/), desk.click('button:text-is("Afhandelen")')]);

    await page.goto(`${BASE}/volgen/${token}`);
    const main = await page.textContent('main');
    assert.match(main, /We hebben de stuw vrijgemaakt/);
    assert.match(main, /Uw melding is afgehandeld/);
    await assertAccessible(page, 'the tracking page with the survey');
    await page.check('#cijfer-4');
    await page.check('#opgelost-nee');
    await page.check('#moeite-5');
    await page.check('#heropenen');
    await page.click('button:text-is("Versturen")');
    await page.waitForSelector('text=We kijken er opnieuw naar');

    await desk.reload();
    assert.match(await desk.textContent('main'), /vraagt om opnieuw te kijken/);
    if (MAILBOX) await waitForMail('tevreden@example.nl', /afgehandeld/i);
  } finally {
    await citizen.close();
    await staff.close();
  }
});

test('calamity: reports close together become one incident with one update and a banner', async () => {
  const citizen = await launch();
  const staff = await launch();
  try {
    const page = await citizen.newPage();
    const tokens = [];
    for (const [n, text] of [[1, 'Water stroomt over de kade'], [5, 'Kade loopt over bij het gemaal']]) {
      await page.goto(`${BASE}/melding`);
      await fillMelding(page, { description: text, postcode: '3011 CD', huisnummer: String(n), email: `kade${n}@example.nl` });
      tokens.push((await send(page)).token);
    }
    const desk = await staff.newPage();
    await signIn(desk, 'heffingen', 'wachtwoord voor heffingen');
    await desk.goto(`${BASE}/werkplek/incidenten`);
    const incidents = await desk.textContent('main');
    assert.match(incidents, /open · 2 meldingen/);
    await assertAccessible(desk, 'the incidents page');
    await desk.fill('textarea[name=answer]', 'De kade wordt vanavond verhoogd met zandzakken.');
    await Promise.all([desk.waitForURL(/bereikt=2/), desk.click('text=Bericht aan alle melders')]);
    await desk.fill('input[name=answer]', 'Hoog water bij de kade in 3011: we zijn aan het werk.');
    await Promise.all([desk.waitForURL(`${BASE}/werkplek/incidenten`), desk.click('text=Banier opslaan')]);

    for (const token of tokens) {
      await page.goto(`${BASE}/volgen/${token}`);
      assert.match(await page.textContent('main'), /vanavond verhoogd met zandzakken/);
    }
    await page.goto(`${BASE}/`);
    assert.match(await page.textContent('.banier'), /Hoog water bij de kade/);
    await assertAccessible(page, 'the start page with a banner');

    await Promise.all([desk.waitForURL(`${BASE}/werkplek/incidenten`), desk.click('text=Incident sluiten')]);
    await page.goto(`${BASE}/`);
    assert.equal(await page.$('.banier'), null, 'the banner is gone once the incident is closed');
  } finally {
    await citizen.close();
    await staff.close();
  }
});
