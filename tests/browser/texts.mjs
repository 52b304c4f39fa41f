// Drives the texts pages (search over the speeches, the term trend, keyword in context,
// a diff, a speech) in headless Chromium (Debian's, through playwright-core).
// Usage: node texts.mjs BASE_URL. Exits non-zero on any failed check.
// Run by tests/it/browser.rs over a database holding the knowledge base, the real votes
// and the real General Debate corpus.
import { check, finish, launch } from './lib.mjs';

const base = process.argv[2];
if (!base) { console.error('usage: node texts.mjs BASE_URL'); process.exit(2); }

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
context.setDefaultTimeout(30000);

function watch(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) errors.push(`external request: ${r.url()}`); });
  return errors;
}

// Submits the page's filter form after filling some fields, by keyboard (Enter).
async function submit(page, fields, urlPattern) {
  for (const [selector, value] of fields) await page.fill(selector, value);
  await Promise.all([page.waitForURL(urlPattern), page.press(fields[0][0], 'Enter')]);
}

// Search: a prefix over the speeches, filtered by kind and years, gives speech hits.
{
  const page = await context.newPage();
  const errors = watch(page);
  await page.goto(`${base}/search?q=cyber*&kind=speech&from=2013&to=2013`);
  const hits = await page.locator('main a[href^="/speeches/"]').count();
  check(hits > 0, `search cyber* over the 2013 speeches links speeches (${hits})`);
  const marked = await page.locator('main mark').count();
  check(marked > 0, `search hits mark the match (${marked})`);
  const first = page.locator('main a[href^="/speeches/"]').first();
  const href = await first.getAttribute('href');
  await Promise.all([page.waitForURL(/\/speeches\//), first.click()]);
  check(/\/speeches\/[A-Z]{3}\/2013/.test(page.url()), `a hit opens its speech (${href})`);
  check((await page.locator('h1').count()) === 1, 'the speech page has one h1');
  check((await page.locator('#that-year').count()) === 1, "the speech page shows the speaker's record that year");
  check(errors.length === 0, `search and speech have no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);
  await page.close();
}

// The term trend: two patterns compared, a figure, a table per pattern, exports.
{
  const page = await context.newPage();
  const errors = watch(page);
  await page.goto(`${base}/terms`);
  await submit(page, [['form.filters input[name="q"]', 'cyber*, "information security"'], ['form.filters input[name="from"]', '1995']], /q=/);
  check((await page.locator('figure svg').count()) === 1, 'the trend is drawn');
  const labelled = await page.locator('figure svg').evaluate((s) => Boolean(s.getAttribute('aria-label') || s.querySelector('title')));
  check(labelled, 'the trend figure is labelled');
  const tables = await page.locator('main table').count();
  check(tables === 2, `one table per pattern (${tables})`);
  const y2021 = await page.locator('main table').first().locator('tr', { hasText: /^2021/ }).first().locator('td').nth(1).textContent();
  check(Number(y2021) > 0, `cyber* is used in 2021 (${y2021})`);
  const csv = await page.request.get(await page.locator('a', { hasText: 'CSV' }).first().getAttribute('href', { timeout: 5000 }).then((h) => new URL(h, base).href));
  check(csv.status() === 200 && (await csv.text()).startsWith('pattern,year,count'), 'the CSV export answers');
  check(errors.length === 0, `terms has no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);

  // From the table to each use in context.
  await Promise.all([page.waitForURL(/\/kwic\?/), page.locator('a', { hasText: 'Each use in context' }).first().click()]);
  check(page.url().includes('/kwic?q=cyber'), `the term table links its uses in context (${page.url()})`);
  await page.close();
}

// Keyword in context: a phrase, one speaker, the match marked; the speech marks it too.
{
  const page = await context.newPage();
  const errors = watch(page);
  await page.goto(`${base}/kwic`);
  await submit(page, [['form.filters input[name="q"]', '"information security"'], ['form.filters input[name="state"]', 'RUS']], /q=/);
  const total = Number(await page.locator('#kwic-count strong').textContent());
  const rows = await page.locator('table.kwic tbody tr').count();
  check(total > 0 && rows === Math.min(total, 500), `KWIC lists every use (${rows} of ${total})`);
  const matches = await page.locator('table.kwic tbody mark').allTextContents();
  // A token is a run of letters and digits, lower-cased: the match is the phrase's tokens.
  const tokens = (m) => (m.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).join(' ');
  check(matches.every((m) => tokens(m) === 'information security'), `every marked match is the phrase (${matches.join(' | ')})`);
  const speakers = await page.locator('table.kwic tbody tr td:first-child').allTextContents();
  check(speakers.every((s) => s.trim() === 'RUS'), 'the speaker filter holds');
  const json = await page.request.get(new URL(await page.locator('a', { hasText: 'JSON' }).getAttribute('href'), base).href);
  check(json.status() === 200 && (await json.json()).length === total, 'the JSON export holds every line');
  await Promise.all([page.waitForURL(/\/speeches\/RUS\//), page.locator('table.kwic tbody a').first().click()]);
  const marks = Number(await page.locator('#mark-count strong').textContent());
  check(marks > 0, `the speech marks the phrase (${marks})`);
  check(errors.length === 0, `kwic has no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);
  await page.close();
}

// A diff side by side: the knowledge base's reviewed paragraphs of 57/239 against 64/211.
{
  const page = await context.newPage();
  const errors = watch(page);
  const response = await page.goto(`${base}/diff?a=A/RES/57/239&b=A/RES/64/211`);
  check(response && response.status() === 200, `the diff answers (${response && response.status()})`);
  check((await page.locator('h1').count()) === 1, 'the diff has one h1');
  const text = await page.locator('main').textContent();
  check(text.includes('A/RES/57/239') && text.includes('A/RES/64/211'), 'the diff names both texts');
  check(/paragraph_removed|paragraph removed|removed/i.test(text), 'the diff classifies its changes');
  check(/knowledge base/i.test(text), 'the diff says where each text is held from');
  check(errors.length === 0, `diff has no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);
  await page.close();
}

await finish(browser);
