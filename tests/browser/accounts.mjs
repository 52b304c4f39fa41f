// The installation's accounts in headless Chromium, through the pages only: an
// administrator adds an account with the form, makes it an administrator and back,
// disables it (its sign-in is refused with the reason) and enables it; the new account
// signs in and changes its own password on its account page (a mistyped one is refused on
// the page); the pages fit a phone's width. Usage: node accounts.mjs BASE_URL PASSWORD.
// Run by tests/it/accounts.rs, which starts the server and makes the administrator
// boss@ciip.example.
import { check, finish, launch } from './lib.mjs';

const [base, password] = process.argv.slice(2);
if (!password) { console.error('usage: node accounts.mjs BASE_URL PASSWORD'); process.exit(2); }

const browser = await launch();
const errors = [];
// The two refusals the script provokes (a disabled sign-in, 403; a mistyped password, 422)
// are logged by Chromium as failed loads; they are counted apart, and nothing else may be.
const refusals = [];
async function open(width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const refused = /^Failed to load resource: .* status of (\d+)/.exec(m.text());
    if (refused) refusals.push(refused[1]); else errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}
async function signIn(page, email, pass) {
  await page.goto(`${base}/login`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(pass);
  await Promise.all([page.waitForNavigation(), page.getByLabel('Password').press('Enter')]);
}
async function submit(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}
const row = (page, email) => page.locator('#accounts tbody tr', { hasText: email });

const boss = await open(1280);
await signIn(boss, 'boss@ciip.example', password);
await submit(boss, boss.getByRole('link', { name: 'accounts of this installation' }));
check(new URL(boss.url()).pathname === '/admin/users', 'the administrator reaches the accounts from the list');
await boss.getByLabel('E-mail address').fill('new@ciip.example');
await boss.getByLabel('Role', { exact: true }).selectOption('member');
await boss.getByLabel(/^First password/).fill(password);
await submit(boss, boss.getByRole('button', { name: 'Add', exact: true }));
check((await boss.textContent('.notice')).includes('The account is added'), 'the new account is added');
check((await row(boss, 'new@ciip.example').textContent()).includes('member'), 'it is listed as a member');
await row(boss, 'new@ciip.example').getByLabel('Role of new@ciip.example').selectOption('admin');
await submit(boss, row(boss, 'new@ciip.example').getByRole('button', { name: 'Set role' }));
check((await row(boss, 'new@ciip.example').locator('td').nth(1).textContent()) === 'admin', 'made an administrator');
await row(boss, 'new@ciip.example').getByLabel('Role of new@ciip.example').selectOption('member');
await submit(boss, row(boss, 'new@ciip.example').getByRole('button', { name: 'Set role' }));
await submit(boss, row(boss, 'new@ciip.example').getByRole('button', { name: 'Disable' }));
check((await row(boss, 'new@ciip.example').textContent()).includes('disabled since'), 'disabled');

const fresh = await open(1280);
await fresh.goto(`${base}/login`);
await fresh.getByLabel('E-mail address').fill('new@ciip.example');
await fresh.getByLabel('Password').fill(password);
await Promise.all([fresh.waitForNavigation(), fresh.getByRole('button', { name: 'Sign in' }).click()]);
check((await fresh.textContent('.error')).includes('disabled'), 'a disabled account is refused with the reason');

await submit(boss, row(boss, 'new@ciip.example').getByRole('button', { name: 'Enable' }));
check((await row(boss, 'new@ciip.example').textContent()).includes('active'), 'enabled again');
const audit = await boss.textContent('#audit + div table');
for (const what of ['created', 'role changed', 'disabled', 'enabled']) check(audit.includes(what), `the audit lists "${what}"`);

// The new account's own page: a mistyped password is refused on the page, then changed.
const phone = await open(390);
await signIn(phone, 'new@ciip.example', password);
await submit(phone, phone.getByRole('link', { name: 'your account' }));
check(new URL(phone.url()).pathname === '/account', 'the account page from the list');
const next = 'a brand new passphrase';
await phone.getByLabel('Current password').fill(password);
await phone.getByLabel(/^New password \(/).fill(next);
await phone.getByLabel('New password again').fill('something else entirely');
await submit(phone, phone.getByRole('button', { name: 'Change password' }));
check((await phone.textContent('.error')).includes('differ'), 'a mistyped new password is refused on the page');
await phone.getByLabel('Current password').fill(password);
await phone.getByLabel(/^New password \(/).fill(next);
await phone.getByLabel('New password again').fill(next);
await submit(phone, phone.getByRole('button', { name: 'Change password' }));
check((await phone.textContent('.notice')).includes('Your password is changed'), 'the password is changed');
const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
check(overflow <= 0, `the account page fits a phone (${overflow}px over)`);
const admins = await open(390);
await signIn(admins, 'boss@ciip.example', password);
await admins.goto(`${base}/admin/users`);
const tableFits = await admins.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
check(tableFits <= 0, `the accounts page fits a phone, its table scrolling in its frame (${tableFits}px over)`);
const again = await open(1280);
await signIn(again, 'new@ciip.example', next);
check(new URL(again.url()).pathname === '/assessments', 'the new password signs in');

check(errors.length === 0, `no console errors (${errors.join('; ')})`);
check(refusals.join(',') === '403,422', `only the two provoked refusals were answered (${refusals.join(',')})`);
await finish(browser);
