#!/usr/bin/env node
// Screenshot APL pages in Debian's Chromium with a fake clock, for tools/render_screens.py.
//
//   node tools/render_pages.js < jobs.json
//
// jobs.json: [{"html": path, "png": path, "width": px, "height": px, "advanceMs": ms,
//              "clicks": [label, ...], "probes": [ms, ...]}, ...].
// Each page logs to <pre id="log">; once it has logged RENDERED, the fake clock (Date, timers and
// animation frames: the APL engine's whole notion of time) runs advanceMs, then the page is shot;
// then each label in "clicks" is tapped (the page logs each SendEvent's arguments). "probes" are
// moments (ms after RENDERED, ascending, before advanceMs) at which the numbers shown are read.
// Prints one JSON line per job: {"png", "log": [lines], "probes": [[ms, "numbers shown"], ...]}.
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
      // The page's clock stands still unless run: Date, timers and frames move only by runFor.
      await page.clock.install({ time: new Date('2026-11-23T08:00:00Z') });
      await page.clock.pauseAt(new Date('2026-11-23T08:00:01Z'));
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
      const probes = [];  // the numbers on screen at given moments of the document's timeline
      let now = 0;
      for (const at of job.probes || []) {
        await page.clock.runFor(at - now);
        now = at;
        probes.push([at, await page.evaluate(() => Array.from(document.querySelectorAll('#view *'))
          .filter((e) => e.children.length === 0 && /^\d+$/.test(e.textContent.trim()))
          .map((e) => e.textContent.trim()).join(','))]);
      }
      if (job.advanceMs > now) await page.clock.runFor(job.advanceMs - now);
      await page.waitForTimeout(200);
      await page.screenshot({ path: job.png });
      for (const label of job.clicks || []) {  // a tap on each button: its SendEvent is logged
        await page.getByText(label, { exact: true }).click();
        await page.clock.runFor(100);
      }
      const text = await page.locator('#log').textContent();
      log.push(...text.split('\n').filter((l) => l.trim()));
      process.stdout.write(JSON.stringify({ png: job.png, log, probes }) + '\n');
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
