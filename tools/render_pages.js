#!/usr/bin/env node
// Screenshot APL pages in Debian's Chromium with a fake clock, for tools/render_screens.py.
//
//   node tools/render_pages.js < jobs.json
//
// jobs.json: [{"html": path, "png": path, "width": px, "height": px, "advanceMs": ms}, ...].
// Each page logs to <pre id="log">; once it has logged RENDERED, the fake clock (Date, timers and
// animation frames: the APL engine's whole notion of time) runs advanceMs, then the page is shot.
// Prints one JSON line per job: {"png", "log": [lines]}.
'use strict';

const { chromium } = require('playwright-core');

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--allow-file-access-from-files'];

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const jobs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS,
  });
  try {
    for (const job of jobs) {
      const context = await browser.newContext({ viewport: { width: job.width, height: job.height } });
      const page = await context.newPage();
      await page.clock.install();
      const log = [];
      page.on('pageerror', (err) => log.push(`PAGE-ERROR ${err.message}`));
      await page.goto('file://' + job.html);
      let rendered = false;
      for (let i = 0; i < 600 && !rendered; i++) {
        await page.clock.runFor(50);
        const text = await page.locator('#log').textContent();
        rendered = /^(RENDERED|FAIL)/m.test(text);
        if (!rendered) await page.waitForTimeout(50);
      }
      await page.clock.runFor(job.advanceMs);
      await page.waitForTimeout(200);
      await page.screenshot({ path: job.png });
      const text = await page.locator('#log').textContent();
      log.push(...text.split('\n').filter((l) => l.trim()));
      process.stdout.write(JSON.stringify({ png: job.png, log }) + '\n');
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  process.stderr.write(`render_pages: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
