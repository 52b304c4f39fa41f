// The self-assessment's pages in headless Chromium: two members sign in with the form, the
// contributor finds the question on the dashboard and saves an answer, then both edit the
// same question: the later save gets the merge view (409), and saving the merge goes
// through. Usage: node assess.mjs BASE_URL ASSESSMENT_PATH QUESTION_PATH PASSWORD.
// Run by tests/it/assess.rs, which starts the server and makes the team.
import { check, finish, launch } from './lib.mjs';

const [base, assessmentPath, questionPath, password] = process.argv.slice(2);
if (!password) { console.error('usage: node assess.mjs BASE_URL ASSESSMENT_PATH QUESTION_PATH PASSWORD'); process.exit(2); }

const browser = await launch();

async function signIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  const errors = [];
  // The merge view is answered 409 on purpose; Chromium logs that as a failed load.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('409 (Conflict)')) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`${base}/assessments`);
  check(true, `${email} signs in with the form (keyboard)`);
  return { page, errors };
}

const anna = await signIn('anna@ministry.example');
await anna.page.getByRole('link', { name: 'National CIIP self-assessment' }).click();
await anna.page.waitForURL(`${base}${assessmentPath}`);
check(await anna.page.getByRole('heading', { name: 'My tasks' }).isVisible(), 'the dashboard lists my tasks');
await anna.page.locator('#tasks + ul a').first().click();
await anna.page.waitForURL(`${base}${questionPath}`);
check((await anna.page.textContent('main')).includes('A/RES/64/211, annex, item 1'), 'the question cites its paragraph');
await anna.page.getByLabel('Status').selectOption('partial');
await anna.page.getByLabel('Answer', { exact: true }).fill('A strategy is being drafted.');
await anna.page.getByRole('button', { name: 'Save' }).click();
await anna.page.waitForURL(`${base}${questionPath}`);
check((await anna.page.inputValue('#q-answer')) === 'A strategy is being drafted.', 'the answer is saved');

// Two editors on one question.
const coord = await signIn('coord@ciip.example');
await coord.page.goto(`${base}${questionPath}`);
await anna.page.reload();
await coord.page.getByLabel('Answer', { exact: true }).fill('The coordinator rewrote it.');
await coord.page.getByRole('button', { name: 'Save' }).click();
await coord.page.waitForURL(`${base}${questionPath}`);
await anna.page.getByLabel('Answer', { exact: true }).fill('Anna added a paragraph.');
const [response] = await Promise.all([
  anna.page.waitForResponse((r) => r.request().method() === 'POST'),
  anna.page.getByRole('button', { name: 'Save' }).click(),
]);
check(response.status() === 409, `the stale save is refused with 409 (got ${response.status()})`);
await anna.page.getByRole('heading', { name: 'Someone else changed this answer' }).waitFor();
const merge = await anna.page.textContent('main');
check(merge.includes('The coordinator rewrote it.') && merge.includes('Anna added a paragraph.'), 'the merge view shows both');
await anna.page.getByLabel('Answer', { exact: true }).fill('The coordinator rewrote it. Anna added a paragraph.');
await anna.page.getByRole('button', { name: 'Save' }).click();
await anna.page.waitForURL(`${base}${questionPath}`);
check((await anna.page.inputValue('#q-answer')) === 'The coordinator rewrote it. Anna added a paragraph.', 'the merged answer is saved');
check(anna.errors.length === 0 && coord.errors.length === 0, `no console errors (${[...anna.errors, ...coord.errors].join('; ')})`);

await finish(browser);
console.log('all passed');
