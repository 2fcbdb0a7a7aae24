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
// Prints one JSON line per job: {"png", "log": [lines], "probes": [[ms, "numbers shown"], ...],
// "clipped": [{"text", "why"}, ...]} where "clipped" lists every text the renderer cut (see CLIPPED).
'use strict';

const { chromium } = require('playwright-core');

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--allow-file-access-from-files'];

// Every text on screen that the renderer cut: a Text whose maxLines ended it with an ellipsis, a
// line cut by an edge of the screen or of a box that hides overflow (a line cut at the top or
// bottom of a scrolling box is fine: it scrolls), and on a round screen a line outside the circle
// (unless it sits in a scrolling box, below the fold).
const CLIPPED = (round) => {
  const view = document.getElementById('view').getBoundingClientRect();
  const out = [];
  const walker = document.createTreeWalker(document.getElementById('view'), NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text) continue;
    const owner = node.parentElement;
    if (getComputedStyle(owner).visibility === 'hidden' || getComputedStyle(owner).display === 'none') continue;
    const whole = (owner.closest('[class]') || owner).textContent.trim();
    if (text.endsWith('\u2026') && !seen.has(whole)) {
      seen.add(whole);
      out.push({ text: whole, why: 'ellipsis: cut by maxLines' });
      continue;
    }
    const rects = [];  // one box per word: a line's trailing space may hang past its box, a word may not
    for (const word of node.textContent.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      rects.push(...range.getClientRects());
    }
    for (const r of rects) {
      if (r.width < 1 || r.height < 1) continue;
      let left = view.left, top = view.top, right = view.right, bottom = view.bottom, scrolls = false;
      for (let el = owner; el && el.id !== 'view'; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.overflow === 'visible' && style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const b = el.getBoundingClientRect();
        if (el.scrollHeight > el.clientHeight + 1 || /auto|scroll/.test(style.overflowY)) scrolls = true;
        left = Math.max(left, b.left); right = Math.min(right, b.right);
        top = Math.max(top, b.top); bottom = Math.min(bottom, b.bottom);
      }
      const inside = r.left >= left - 1 && r.right <= right + 1 && r.top >= top - 1 && r.bottom <= bottom + 1;
      const shown = r.right > left && r.left < right && r.bottom > top && r.top < bottom;
      const cutSideways = r.left < left - 1 || r.right > right + 1;
      if (shown && !inside && (cutSideways || !scrolls)) {
        out.push({ text, why: `cut by an edge (${Math.round(r.left)},${Math.round(r.top)})-(${Math.round(r.right)},${Math.round(r.bottom)})` });
        break;
      }
      if (round && inside && !scrolls) {
        const cx = view.left + view.width / 2, cy = view.top + view.height / 2, radius = view.width / 2;
        const corners = [[r.left, r.top], [r.right, r.top], [r.left, r.bottom], [r.right, r.bottom]];
        if (corners.some(([x, y]) => Math.hypot(x - cx, y - cy) > radius + 1)) {
          out.push({ text, why: 'outside the circle' });
          break;
        }
      }
    }
  }
  return out;
};

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
      const clipped = job.check ? await page.evaluate(CLIPPED, !!job.round) : [];
      for (const label of job.clicks || []) {  // a tap on each button: its SendEvent is logged
        await page.getByText(label, { exact: true }).click();
        await page.clock.runFor(100);
      }
      const text = await page.locator('#log').textContent();
      log.push(...text.split('\n').filter((l) => l.trim()));
      process.stdout.write(JSON.stringify({ png: job.png, log, probes, clipped }) + '\n');
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
