// A team of three runs a 64/211 self-assessment in headless Chromium, through the pages
// only: the coordinator starts it, adds a contributor and a reviewer and assigns two
// questions; the contributor answers both (one with an uploaded file as evidence); the
// reviewer sends one back and accepts the other; the contributor answers again and the
// reviewer accepts; the coordinator downloads the DOCX and the PDF, starts the next cycle
// and compares it with this one. Usage: node assess_team.mjs BASE_URL PASSWORD.
// Run by tests/it/assess.rs, which starts the server and makes the three accounts.
import { check, finish, launch } from './lib.mjs';
import { readFileSync } from 'node:fs';

const [base, password] = process.argv.slice(2);
if (!password) { console.error('usage: node assess_team.mjs BASE_URL PASSWORD'); process.exit(2); }

const browser = await launch();

const everyone = [];
async function signIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${email}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${email}: ${e.message}`));
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`${base}/assessments`);
  check(true, `${email} signs in with the form`);
  everyone.push(errors);
  return page;
}

async function submit(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

// The coordinator starts the assessment and makes the team.
const coord = await signIn('coord@ciip.example');
await coord.getByLabel('Title').fill('CIIP 2026');
await submit(coord, 'Start');
const dashboard = new URL(coord.url()).pathname;
check(/^\/assessments\/[0-9a-f]+$/.test(dashboard), `the new assessment's dashboard (${dashboard})`);
for (const [email, role] of [['anna@ministry.example', 'contributor'], ['rev@cert.example', 'reviewer']]) {
  await coord.getByLabel('E-mail address').fill(email);
  await coord.getByLabel('Role', { exact: true }).selectOption(role);
  await submit(coord, 'Add or change member');
}
const members = await coord.textContent('#members + table');
check(members.includes('anna@ministry.example') && members.includes('rev@cert.example'), 'the contributor and the reviewer are members');
const questions = await coord.locator('#questions + table a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
const [q1, q2] = questions;
for (const q of [q1, q2]) {
  await coord.goto(`${base}${q}`);
  await coord.getByLabel('Give this question to').selectOption('anna@ministry.example');
  await submit(coord, 'Assign');
  check((await coord.textContent('main')).includes('assigned to anna@ministry.example'), `${q} is assigned`);
}

// The contributor answers both, with a file as evidence for the second.
const anna = await signIn('anna@ministry.example');
await anna.getByRole('link', { name: 'CIIP 2026' }).click();
const tasks = await anna.locator('#tasks + ul a').count();
check(tasks === 2, `two tasks on the contributor's dashboard (${tasks})`);
await anna.goto(`${base}${q2}`);
await anna.getByLabel(/Upload a file/).setInputFiles({
  name: 'plan.pdf',
  mimeType: 'application/pdf',
  buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
});
await submit(anna, 'Add evidence');
check(await anna.getByRole('link', { name: /plan\.pdf/ }).isVisible(), 'the uploaded file is listed as evidence');
for (const [q, text] of [[q1, 'A strategy is being drafted.'], [q2, 'The plan is in force.']]) {
  await anna.goto(`${base}${q}`);
  await anna.getByLabel('Status').selectOption('partial');
  await anna.getByLabel('Maturity').selectOption('2');
  await anna.getByLabel('Answer', { exact: true }).fill(text);
  await anna.getByLabel('Owner agency').fill('Ministry of the Interior');
  await anna.getByLabel('Submit for review').check();
  await submit(anna, 'Save');
  check((await anna.textContent('main')).includes('Workflow: in_review'), `${q} is submitted for review`);
}

// The reviewer sends the first back and accepts the second.
const rev = await signIn('rev@cert.example');
await rev.getByRole('link', { name: 'CIIP 2026' }).click();
check((await rev.locator('#tasks + ul a').count()) === 2, 'two answers wait for the reviewer');
await rev.goto(`${base}${q1}`);
await rev.getByLabel(/Comment \(needed to send back\)/).fill('Cite the decree that adopts it.');
await submit(rev, 'Send back');
check((await rev.textContent('main')).includes('Workflow: sent_back'), 'the first answer is sent back');
await rev.goto(`${base}${q2}`);
await submit(rev, 'Accept');
check((await rev.textContent('main')).includes('Workflow: accepted'), 'the second answer is accepted');

// The contributor reads the comment and answers again; the reviewer accepts.
await anna.goto(`${base}${dashboard}`);
await anna.locator('#tasks + ul a').first().click();
check((await anna.textContent('#comments + ul')).includes('Cite the decree'), "the contributor reads the reviewer's comment");
await anna.getByLabel('Answer', { exact: true }).fill('Adopted by Decree 12/2025.');
await anna.getByLabel('Submit for review').check();
await submit(anna, 'Save');
await rev.goto(`${base}${q1}`);
await submit(rev, 'Accept');
check((await rev.textContent('main')).includes('Workflow: accepted'), 'the answer given again is accepted');

// The coordinator's reports, the next cycle and the comparison.
await coord.goto(`${base}${dashboard}`);
check((await coord.textContent('#progress + table')).includes('2'), 'the progress table counts the accepted answers');
for (const [name, magic] of [['DOCX', 'PK'], ['PDF', '%PDF']]) {
  const [download] = await Promise.all([coord.waitForEvent('download'), coord.getByRole('link', { name, exact: true }).click()]);
  const bytes = readFileSync(await download.path());
  check(bytes.subarray(0, magic.length).toString('latin1') === magic && bytes.length > 1000, `the ${name} downloads (${bytes.length} bytes)`);
}
await coord.getByRole('link', { name: 'as a page' }).click();
check((await coord.textContent('main')).includes('A/RES/64/211, annex, item 1'), 'the HTML report cites the paragraphs');
await coord.goto(`${base}${dashboard}`);
await coord.getByLabel('Start the next cycle, titled').fill('CIIP 2027');
await submit(coord, 'Start reassessment');
const next = new URL(coord.url()).pathname;
check(next !== dashboard && (await coord.textContent('h1')) === 'CIIP 2027', 'the next cycle starts');
check((await coord.locator('#cycles + table tbody tr').count()) === 2, 'the cycles table lists both cycles');
check(await coord.locator('figure.chart svg').first().isVisible(), 'the progress charts are drawn');
await submit(coord, 'Compare');
check((await coord.textContent('h1')) === 'Comparison of two cycles', 'the comparison opens');
check((await coord.textContent('main')).includes('Question by question'), 'question by question');

const errors = everyone.flat();
check(errors.length === 0, `no console errors (${errors.join('; ')})`);
await finish(browser);
console.log('all passed');
