// Drives the normwatch web UI in headless Chromium (Debian's, through playwright-core).
// Usage: node run.mjs BASE_URL [SCREENSHOT_DIR]. Exits non-zero on any failed check.
// Run by crates/normwatch-web/tests/browser.rs, which starts the server.
import { check, finish, launch } from './lib.mjs';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const base = process.argv[2];
const shots = process.argv[3];
if (!base) { console.error('usage: node run.mjs BASE_URL [SCREENSHOT_DIR]'); process.exit(2); }
if (shots) mkdirSync(shots, { recursive: true });

const browser = await launch();
const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
desktop.setDefaultTimeout(30000);

// Every page opened records its console errors and failed requests.
function watch(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) errors.push(`external request: ${r.url()}`); });
  return errors;
}

const views = [
  ['home', '/'],
  ['timeline', '/timeline'],
  ['document', '/documents/A/RES/60/45'],
  ['document-annex', '/documents/A/RES/57/239'],
  ['series', '/series/ga-first-ict-security'],
  ['groups', '/groups'],
  ['group', '/groups/gge-2004'],
  ['states', '/states'],
  ['state-compare', '/states/RUS?compare=USA,CHN'],
  ['bodies', '/bodies'],
  ['measurement', '/measurement'],
  ['search', '/search?q=critical+information+infrastructure'],
  ['event', '/events/estonia-ddos-2007'],
  ['norms', '/norms'],
  ['norm', '/norms/culture-of-security'],
];

const links = new Set();
for (const [name, path] of views) {
  const page = await desktop.newPage();
  const errors = watch(page);
  const response = await page.goto(base + path, { waitUntil: 'load' });
  check(response && response.status() === 200, `${path} loads (${response && response.status()})`);
  check((await page.locator('h1').count()) === 1, `${path} has one h1`);
  check((await page.locator('main#main').count()) === 1, `${path} has a main landmark`);
  // Every image-like figure has an accessible name.
  const unnamed = await page.locator('figure svg').evaluateAll((svgs) =>
    svgs.filter((s) => !s.getAttribute('aria-label') && !s.getAttribute('aria-labelledby') && !s.querySelector('title')).length);
  check(unnamed === 0, `${path} charts are labelled`);
  for (const href of await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href))) {
    if (href.startsWith(base)) links.add(href.split('#')[0]);
  }
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
  check(errors.length === 0, `${path} has no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);
  await page.close();
}

// Links resolve: every same-origin link of the main views answers 200 (after redirects).
{
  const request = desktop.request;
  const broken = [];
  const list = [...links].sort();
  for (const href of list) {
    const r = await request.get(href, { maxRedirects: 3, timeout: 30000 });
    if (r.status() !== 200) broken.push(`${href} → ${r.status()}`);
  }
  check(broken.length === 0, `${list.length} internal links resolve${broken.length ? ': ' + broken.slice(0, 10).join(', ') : ''}`);
}

// Timeline filters without JavaScript: a plain GET form.
{
  const noJs = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const page = await noJs.newPage();
  await page.goto(base + '/timeline');
  const before = Number(await page.locator('#timeline-count strong').textContent());
  await page.selectOption('select[name="stream"]', 'economic');
  await page.fill('input[name="from"]', '2000');
  await page.fill('input[name="to"]', '2012');
  await Promise.all([page.waitForURL(/stream=economic/), page.click('form.filters button[type="submit"]')]);
  const after = Number(await page.locator('#timeline-count strong').textContent());
  check(after > 0 && after < before, `timeline filter without JS narrows ${before} → ${after}`);
  const otherLanes = await page.locator('.lane-politico-military li, .lane-linking li, .lane-internet-governance li').count();
  check(otherLanes === 0, 'filtered by the economic stream, the other lanes are empty');
  const years = await page.locator('section.year h2').allTextContents();
  check(years.length > 0 && years.every((y) => Number(y) >= 2000 && Number(y) <= 2012), `year range holds (${years.join(' ')})`);
  await noJs.close();
}

// Timeline filters with JavaScript: changing a select applies it.
{
  const page = await desktop.newPage();
  const errors = watch(page);
  await page.goto(base + '/timeline');
  await Promise.all([page.waitForURL(/kind=incident/), page.selectOption('select[name="kind"]', 'incident')]);
  const incidents = await page.locator('.incidents li').count();
  const others = await page.locator('.lane li').count();
  check(incidents > 0 && others === 0, `kind=incident shows only incidents (${incidents})`);
  await Promise.all([page.waitForURL(/committee=Second/), page.goto(base + '/timeline?committee=Second')]);
  const linking = await page.locator('.lane-linking li').count();
  check(linking > 0, `the Second Committee's documents sit in the linking lane (${linking})`);
  check(errors.length === 0, 'timeline filters raise no console errors');
  await page.close();
}

// Search from the header, and the results mark what matched.
{
  const page = await desktop.newPage();
  await page.goto(base + '/');
  await page.fill('#site-q', 'culture of cybersecurity');
  await Promise.all([page.waitForURL(/\/search\?q=/), page.press('#site-q', 'Enter')]);
  const results = await page.locator('ol.results li').count();
  check(results > 0, `search finds records (${results})`);
  check((await page.locator('ol.results mark').count()) > 0, 'search marks matches');
  await page.close();
}

// Unknown things: a helpful 404 with suggestions.
{
  const page = await desktop.newPage();
  const response = await page.goto(base + '/documents/A/RES/53/700');
  check(response.status() === 404, 'an unknown symbol answers 404');
  check((await page.locator('main a.symbol').count()) > 0, 'the 404 suggests documents');
  const r2 = await page.goto(base + '/series/ga-first');
  check(r2.status() === 404 && (await page.locator('main a[href^="/series/"]').count()) > 0, 'an unknown series suggests series');
  await page.close();
}

// The document page: votes by regional group, a chart, sponsorship, series navigation.
{
  const page = await desktop.newPage();
  await page.goto(base + '/documents/A/RES/60/45');
  check((await page.locator('#votes figure.chart svg').count()) === 1, 'A/RES/60/45 shows the regional-group chart');
  check((await page.locator('#votes table').count()) >= 1, 'A/RES/60/45 shows the vote tables');
  check((await page.locator('nav.seq a[rel="prev"]').count()) === 1, 'previous in the series');
  check((await page.locator('nav.seq a[rel="next"]').count()) === 1, 'next in the series');
  // SVG and PNG downloads of the figure.
  const svgHref = await page.locator('#votes figure.chart a[download]').getAttribute('href');
  const svg = await desktop.request.get(base + svgHref);
  check(svg.status() === 200 && (await svg.text()).startsWith('<svg'), 'the figure downloads as SVG');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#votes button.png')]);
  const bytes = readFileSync(await download.path());
  check(bytes.subarray(1, 4).toString() === 'PNG', `the figure downloads as PNG (${download.suggestedFilename()})`);
  // CSV export of a table.
  const csvHref = await page.locator('#votes .export a[download]').first().getAttribute('href');
  const csv = await desktop.request.get(base + csvHref);
  check(csv.status() === 200 && (await csv.text()).startsWith('group,name,yes,no'), 'the votes table exports as CSV');
  await page.close();
}

// Side-by-side comparison from the form.
{
  const page = await desktop.newPage();
  const errors = watch(page);
  await page.goto(base + '/states/RUS');
  await page.fill('input[name="compare"]', 'USA, China');
  await Promise.all([page.waitForURL(/compare=/), page.click('form.filters button[type="submit"]')]);
  check((await page.locator('.compare > section').count()) === 3, 'three states side by side');
  check((await page.locator('figure.chart svg').count()) === 1, 'agreement over time is charted');
  check(errors.length === 0, 'comparison raises no console errors');
  await page.close();
}

// Norms: the theme × instrument matrix links norms and instruments; a norm's page lists its
// instruments in time order, its endorsement breadth over time and whether it is contested.
{
  const page = await desktop.newPage();
  const errors = watch(page);
  await page.goto(base + '/norms');
  const columns = await page.locator('table.matrix thead th a').allTextContents();
  check(columns.length > 5 && columns.includes('A/RES/57/239'), `the matrix has instrument columns (${columns.length})`);
  const rows = await page.locator('table.matrix tbody tr').count();
  check(rows > 3, `the matrix has a row per theme with norms (${rows})`);
  const cell = page.locator('table.matrix tbody td a[href="/norms/culture-of-security"]').first();
  check((await cell.count()) === 1, 'a matrix cell links the culture-of-security norm');
  await Promise.all([page.waitForURL(/\/norms\/culture-of-security$/), cell.click()]);
  check((await page.locator('h1').textContent()).length > 0, 'the cell opens the norm page');
  const symbols = await page.locator('ol.instruments > li h3 a').allTextContents();
  const order = ['A/RES/57/239', 'A/RES/58/199', 'A/RES/64/211'].map((s) => symbols.indexOf(s));
  check(order.every((i) => i >= 0) && order[0] < order[1] && order[1] < order[2], `instruments in time order (${symbols.join(', ')})`);
  const years = await page.locator('table.breadth tbody td:first-child').allTextContents();
  check(years.length > 0 && years[0] === '2002' && years.every((y, i) => i === 0 || Number(years[i - 1]) < Number(y)), `breadth by year (${years.join(' ')})`);
  const counts = (await page.locator('table.breadth tbody td:nth-child(2)').allTextContents()).map(Number);
  check(counts.every((c, i) => i === 0 || counts[i - 1] <= c), `breadth never shrinks (${counts.join(' ')})`);
  const consensus = (await page.locator('table.breadth tbody td:nth-child(3)').allTextContents()).map(Number);
  check(consensus.every((c, i) => c >= counts[i]), `with consensus adoptions counts at least as many (${consensus.join(' ')})`);
  check((await page.locator('#contested').count()) === 1, 'the page says whether the norm is contested');
  check(errors.length === 0, `norm pages raise no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);
  if (shots) await page.screenshot({ path: join(shots, 'norm.png'), fullPage: false });
  await page.close();
}

// Keyboard: the first Tab reaches the skip link, which moves focus to the content.
{
  const page = await desktop.newPage();
  await page.goto(base + '/');
  await page.keyboard.press('Tab');
  check((await page.evaluate(() => document.activeElement && document.activeElement.className)) === 'skip', 'Tab reaches the skip link first');
  await page.keyboard.press('Enter');
  check(await page.evaluate(() => location.hash === '#main'), 'the skip link leads to the main content');
  await page.close();
}

// Phone width: no page scrolls sideways.
{
  const phone = await browser.newContext({ viewport: { width: 375, height: 780 }, isMobile: true, deviceScaleFactor: 2 });
  for (const [name, path] of [['home', '/'], ['timeline', '/timeline'], ['document', '/documents/A/RES/60/45'], ['state-compare', '/states/RUS?compare=USA,CHN'], ['measurement', '/measurement'], ['norms', '/norms'], ['norm', '/norms/culture-of-security']]) {
    const page = await phone.newPage();
    await page.goto(base + path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 1, `${path} fits a phone (overflow ${overflow}px)`);
    if (shots && ['timeline', 'document'].includes(name)) await page.screenshot({ path: join(shots, `phone-${name}.png`) });
    await page.close();
  }
  await phone.close();
}

await finish(browser);
