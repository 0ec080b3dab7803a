/**
 * The README's picture of `cdk-synthetic-data profile` (docs/images/profile.png): the retail example dataset made by
 * `generate` in Parquet, profiled, and the top of its page captured in headless Chromium. Run it after changing the
 * page: `npx ts-node --project tsconfig.dev.json scripts/profile-screenshot.ts` (Chromium must be installed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCommandLine } from '../cli/main';
import { openPage } from '../test/support/headless-chromium';

const ROOT = path.join(__dirname, '..');
const PICTURE = path.join(ROOT, 'docs', 'images', 'profile.png');

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-screenshot-'));
  try {
    const out = path.join(dir, 'out');
    const page = path.join(dir, 'profile.html');
    const made = await runCommandLine(['generate', '--dataset', path.join(ROOT, 'examples', 'retail.dataset.json'), '--seed', '7',
      '--format', 'parquet', '--out', out, '--quiet']);
    if (made !== 0) throw new Error(`generate exited ${made}`);
    const profiled = await runCommandLine(['profile', out, '--out', page, '--title', 'Profile of the retail example dataset', '--quiet']);
    if (profiled !== 0) throw new Error(`profile exited ${profiled}`);
    const browser = await openPage(page);
    try {
      fs.mkdirSync(path.dirname(PICTURE), { recursive: true });
      fs.writeFileSync(PICTURE, await browser.screenshot(1300, 1900));
    } finally {
      await browser.close();
    }
    console.error(`wrote ${path.relative(ROOT, PICTURE)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
