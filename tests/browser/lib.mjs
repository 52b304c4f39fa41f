// What every browser script shares: the checks and their tally, the headless Chromium the
// project tests in (Debian's, or CHROMIUM), and the end that fails the run when a check
// failed. A crash or an unhandled rejection fails the run at once.
import { chromium } from 'playwright-core';

const failures = [];
let checks = 0;

/** Records one check; prints `ok` or `FAIL` and what was checked. */
export function check(ok, what) {
  checks += 1;
  if (ok) console.log(`ok   ${what}`);
  else { console.log(`FAIL ${what}`); failures.push(what); }
}

process.on('uncaughtException', (e) => { console.log(`FAIL uncaught: ${e && e.message}`); process.exit(1); });
process.on('unhandledRejection', (e) => { console.log(`FAIL unhandled: ${e && e.message}`); process.exit(1); });

/** Headless Chromium with the project's flags. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: 60000,
  });
}

/** Closes the browser, prints the tally and exits non-zero when a check failed. */
export async function finish(browser) {
  await browser.close();
  console.log(`${checks - failures.length}/${checks} checks passed`);
  if (failures.length) {
    console.log('failed:\n  ' + failures.join('\n  '));
    process.exit(1);
  }
  process.exit(0);
}
