"""Render the skill's screens with Amazon's APL renderer in headless Chromium, to docs/screens/*.png.

    python tools/render_screens.py [--viewhost build/apl-viewhost/index.js] [--only NAME ...]
                                   [--no-check] [--no-timeline]

Three jobs, one Chromium: the PNGs of docs/screens (SHOTS: each kind on round and landscape
screens, the history chart among them, and one screen per locale, LOCALE_SHOTS); a check of every
kind of screen in every viewport skill.json declares and of every locale's guidance, bedtime,
red-flag and history screens in the smallest round and rectangular ones (CHECKS, rendered to
build/screens/, failing on any text the renderer cut: an ellipsis from maxLines, a line cut by an
edge, a line outside the circle; tools/render_pages.js CLIPPED); and the countdown read off the
screen at every change (TIMELINE_CHECKS). `make screens` installs Debian's chromium and
fonts-liberation when they are missing.

The renderer is apl-viewhost-web 2024.3.0, Amazon's web view host with the APL core engine
(apl-core-library 2024.3.0) compiled to WebAssembly: its UMD bundle ``index.js``, which exports
``AplRenderer``. Its npm package cannot be installed here: its install step downloads the prebuilt
bundle from a CDN that this machine cannot reach. So the PNGs in docs/screens were made with a
bundle built from the two public repositories at tag v2024.3.0, outside this project (neither
their code nor a build script is committed), like this:
  - Debian's emscripten 3.1.6, cmake and node-acorn; the viewhost's CMake project configured with
    the Emscripten toolchain file and -DWASM=ON -DAPL_CORE_PATH=<core> -DCMAKE_BUILD_TYPE=Release
    (plain `make`, so the core's enumgen tool is built for the host), closure compiler switched
    off in the link flags (Debian's emscripten has none), NODE_PATH=/usr/share/nodejs for the link
    (emscripten's optimizer needs Debian's node-acorn): target apl-wasm gives apl-wasm.js;
  - its js/ workspace installed with yarn 1 (--ignore-scripts; lockfile pointed at the npm
    registry), ts-loader set to transpileOnly (the release lacks some .d.ts files), then
    `yarn build:wasm:prod`: js/apl-wasm/lib/index.js is the bundle (the .d.ts packing step that
    fails after it is not needed).
Copy that index.js to build/apl-viewhost/index.js (git-ignored) or pass --viewhost / APL_VIEWHOST_JS.

Each screen is the directive the skill sends (tools/apl_validate.sample_directives), shown in the
viewport of a real device, at a chosen moment of its timeline: tools/render_pages.js drives
Debian's Chromium with playwright-core and a fake clock (Date, timers and animation frames), so
the document's onMount commands run exactly as far as asked: the calf hold is shown 12 s into its
first hold, the number then reads 18 and the ring is 60 % full. Amazon Ember is not installed
here, so every text (and its measurement) uses Liberation Sans. Round screens are masked to their
circle, as the device shows them. Needs Debian's chromium (apt-get install chromium) and `npm ci`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from testkit.apl import timeline  # noqa: E402
from tools.apl_validate import sample_directives  # noqa: E402

# name: (width px, height px, dpi, shape, mode); dp = px * 160 / dpi
VIEWPORTS = {
    "round": (480, 480, 160, "ROUND", "HUB"),  # Echo Spot
    "landscape": (1280, 800, 160, "RECTANGLE", "HUB"),  # Echo Show 8 / 10
    "small": (960, 480, 160, "RECTANGLE", "HUB"),  # Echo Show 5
    "medium": (1024, 600, 160, "RECTANGLE", "HUB"),  # Echo Show (1st and 2nd generation)
    "tv": (1920, 1080, 320, "RECTANGLE", "TV"),  # Fire TV (960 x 540 dp)
    "xlarge": (1920, 1080, 160, "RECTANGLE", "HUB"),  # Echo Show 15 (hubLandscapeXLarge)
    "portrait": (1080, 1920, 160, "RECTANGLE", "HUB"),  # Echo Show 15 on its side (hubPortraitMedium)
}
LOCALES = ("en-US", "en-CA", "en-GB", "en-AU", "en-IN", "es-US", "es-MX", "es-ES", "de-DE", "fr-FR", "fr-CA",
           "it-IT", "pt-BR")
KINDS = {"calf-hold": ("guidance/CALF/LEFT/0", "hold1+12"), "bedtime": ("bedtime/0", "hold2+4"),
         "red-flag": ("red_flag/EMERGENCY", 1500), "history": ("history", 1500)}
LOCALE_KINDS = {"guidance": "hold1+12", "bedtime": "hold2+4", "red-flag": 1500, "history": 1500}

# output name: (sample directive, viewport, milliseconds of the timeline to run before the shot)
SHOTS = {
    "calf-hold-round": ("guidance/CALF/LEFT/0", "round", "hold1+12"),
    "calf-hold-landscape": ("guidance/CALF/LEFT/0", "landscape", "hold1+12"),
    "calf-hold-small": ("guidance/CALF/LEFT/0", "small", "hold1+12"),
    "calf-hold-tv": ("guidance/CALF/LEFT/0", "tv", "hold1+12"),
    "bedtime-round": ("bedtime/0", "round", "hold2+4"),
    "bedtime-landscape": ("bedtime/0", "landscape", "hold2+4"),
    "red-flag-round": ("red_flag/EMERGENCY", "round", 1500),
    "red-flag-landscape": ("red_flag/EMERGENCY", "landscape", 1500),
    "history-round": ("history", "round", 1500),
    "history-landscape": ("history", "landscape", 1500),
    "history-xlarge": ("history", "xlarge", 1500),
    "history-portrait": ("history", "portrait", 1500),
}
# One screen per locale in docs/screens: its history chart on a landscape Echo Show.
LOCALE_SHOTS = {f"locale-{locale}": (f"locale/{locale}/history", "landscape", 1500) for locale in LOCALES}
SMALLEST = ("round", "small")  # the smallest round and rectangular screens skill.json declares
# Checked for cut text, rendered to build/screens: every kind in every declared viewport, and
# every locale's four screens in the smallest round and rectangular viewports.
CHECKS = {**{f"{kind}-{viewport}": (sample, viewport, moment) for kind, (sample, moment) in KINDS.items()
             for viewport in VIEWPORTS},
          **{f"{locale}-{kind}-{viewport}": (f"locale/{locale}/{kind}", viewport, moment)
             for locale in LOCALES for kind, moment in LOCALE_KINDS.items()
             for viewport in SMALLEST}}

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<style>
* { font-family: 'Liberation Sans', sans-serif !important; }
html, body { margin: 0; background: __PAGE_BG__; overflow: hidden; }
#view { position: relative; overflow: hidden; width: __W__px; height: __H__px; __MASK__ }
#log { position: fixed; left: 0; top: 100000px; }
#fail { position: fixed; left: 0; top: 0; right: 0; background: #c00; color: #fff; font: 20px sans-serif; }
</style>
<script src="__VIEWHOST__"></script>
</head><body><div id="view"></div><pre id="log"></pre>
<script>
const log = (...a) => { document.getElementById('log').textContent += a.join(' ') + '\\n'; };
const fail = (m) => { log('FAIL', m); const d = document.createElement('div'); d.id = 'fail';
  d.textContent = 'render failed: ' + m; document.body.appendChild(d); };
window.onerror = (m) => fail(m);
(async () => {
  try {
    await AplRenderer.initEngine();
    const content = AplRenderer.Content.create(JSON.stringify(__DOC__), JSON.stringify(__DATA__),
      (level, message) => log('APL-LOG', level, message));
    const renderer = AplRenderer.default.create({
      content, view: document.getElementById('view'), theme: 'dark', notLoadFonts: true,
      environment: {agentName: 'render_screens', agentVersion: '1.0', allowOpenUrl: false,
                    disallowVideo: true},
      viewport: {width: __W__, height: __H__, dpi: __DPI__, isRound: __ROUND__, shape: '__SHAPE__'},
      mode: '__MODE__', utcTime: Date.now(), localTimeAdjustment: 0,
      onSendEvent: (event) => log('SEND-EVENT', JSON.stringify(event.arguments)),
      onRunTimeError: (errors) => log('RUNTIME-ERROR', JSON.stringify(errors)),
    });
    await renderer.init();
    log('RENDERED', Math.round(performance.now()));
  } catch (e) { fail(e && e.stack || e); }
})();
</script></body></html>
"""


def onmount(directive: dict) -> list[dict]:
    return directive["document"]["mainTemplate"]["items"][0].get("onMount") or []


def moment_ms(directive: dict, moment) -> int:
    """A moment of the timeline in ms: a number, or "holdN+S" = S seconds into the N-th hold."""
    if isinstance(moment, int):
        return moment
    which, seconds = moment.removeprefix("hold").split("+")
    starts = [ms for ms, prop, value in timeline(onmount(directive)) if prop == "holding" and value is True]
    return starts[int(which) - 1] + int(float(seconds) * 1000)


def probe_plan(directive: dict, margin: int = 150) -> list[tuple[int, str]]:
    """(ms, number expected on screen) just before and just after every change of the countdown."""
    shown = str(directive["datasources"]["screen"]["firstHold"])
    plan = []
    for ms, prop, value in timeline(onmount(directive)):
        if prop != "remaining" or str(value) == shown:
            continue
        plan += [(ms - margin, shown), (ms + margin, str(value))]
        shown = str(value)
    return plan


def page(directive: dict, viewport: str, viewhost: str) -> str:
    width, height, dpi, shape, mode = VIEWPORTS[viewport]
    round_ = shape == "ROUND"
    values = {
        "__PAGE_BG__": "#3a3a3a" if round_ else "#000",
        "__MASK__": "border-radius: 50%;" if round_ else "",
        "__VIEWHOST__": "file://" + os.path.abspath(viewhost),
        "__DOC__": json.dumps(directive["document"]),
        "__DATA__": json.dumps(directive["datasources"]),
        "__W__": str(width), "__H__": str(height), "__DPI__": str(dpi),
        "__ROUND__": "true" if round_ else "false", "__SHAPE__": shape, "__MODE__": mode,
    }
    out = PAGE
    for key, value in values.items():
        out = out.replace(key, value)
    return out


def render_all(shots: dict, samples: dict, viewhost: str, out_dir: str,
               probes: dict | None = None) -> list[dict]:
    """Write one page per shot and screenshot them all in one Chromium (tools/render_pages.js)."""
    node = shutil.which("node")
    if not node:
        raise SystemExit("node is not installed")
    if not os.path.exists(os.path.join(ROOT, "node_modules", "playwright-core")):
        raise SystemExit("playwright-core is not installed: run `npm ci` at the repository root")
    if not os.path.exists(os.environ.get("CHROMIUM", "/usr/bin/chromium")):
        raise SystemExit("chromium is not installed: apt-get install -y chromium")
    with tempfile.TemporaryDirectory(prefix="render-screens-") as work:
        jobs = []
        for name, (sample, viewport, moment) in shots.items():
            html = os.path.join(work, f"{name}.html")
            with open(html, "w", encoding="utf-8") as fh:
                fh.write(page(samples[sample], viewport, viewhost))
            width, height = VIEWPORTS[viewport][:2]
            buttons = samples[sample]["datasources"]["screen"].get("buttons") or []
            jobs.append({"html": html, "png": os.path.join(out_dir, f"{name}.png"), "width": width,
                         "height": height, "advanceMs": moment_ms(samples[sample], moment),
                         "clicks": [b["label"] for b in buttons],
                         "probes": [ms for ms, _ in (probes or {}).get(name, [])],
                         "check": True, "round": VIEWPORTS[viewport][3] == "ROUND"})
        done = subprocess.run([node, os.path.join(ROOT, "tools", "render_pages.js")], input=json.dumps(jobs),
                              capture_output=True, text=True, cwd=ROOT, timeout=900, check=False)
        if done.returncode != 0:
            raise SystemExit(f"render_pages.js failed: {done.stderr[-3000:]}")
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_viewhost = os.path.join(ROOT, "build", "apl-viewhost", "index.js")
    parser.add_argument("--viewhost", default=os.environ.get("APL_VIEWHOST_JS", default_viewhost))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "screens"))
    parser.add_argument("--only", nargs="*", help="names of shots to render (default: all)")
    parser.add_argument("--no-timeline", action="store_true",
                        help="skip reading the countdown off the rendered screen at every change")
    parser.add_argument("--no-check", action="store_true",
                        help="skip rendering every shape and locale to build/screens for cut text")
    args = parser.parse_args(argv)
    if not os.path.exists(args.viewhost):
        raise SystemExit(f"no apl-viewhost-web bundle at {args.viewhost}: see this file's docstring")
    os.makedirs(args.out, exist_ok=True)
    samples = sample_directives()
    wanted = {**SHOTS, **LOCALE_SHOTS}
    shots = {name: shot for name, shot in wanted.items() if not args.only or name in args.only}
    failures = report(shots, samples, render_all(shots, samples, args.viewhost, args.out))
    if not args.no_check:
        checked = os.path.join(ROOT, "build", "screens")
        os.makedirs(checked, exist_ok=True)
        checks = {name: shot for name, shot in CHECKS.items() if not args.only or name in args.only}
        failures += report(checks, samples, render_all(checks, samples, args.viewhost, checked))
        print(f"{len(checks)} screens checked for cut text in {os.path.relpath(checked, ROOT)}/ "
              f"({len(VIEWPORTS)} viewports, {len(LOCALES)} locales)")
    if not args.no_timeline:
        failures += check_timelines(samples, args.viewhost)
    return 1 if failures else 0


def report(shots: dict, samples: dict, results: list[dict]) -> int:
    """One line per shot: rendered cleanly, and no text cut. Returns how many failed."""
    failures = 0
    for (_name, (sample, viewport, moment)), result in zip(shots.items(), results, strict=True):
        log = result["log"]
        clipped = result.get("clipped") or []
        ok = any(line.startswith("RENDERED") for line in log) and not any(
            line.startswith(("FAIL", "RUNTIME-ERROR", "PAGE-ERROR")) for line in log) and not clipped
        failures += not ok
        notes = [line for line in log if not line.startswith(("RENDERED", "SEND-EVENT"))]
        notes += [f"CUT {c['why']}: {c['text'][:80]!r}" for c in clipped]
        print(f"{'ok  ' if ok else 'FAIL'} {os.path.relpath(result['png'], ROOT)}  ({sample}, {viewport}, "
              f"t={moment_ms(samples[sample], moment) / 1000:g} s){'  ' + '; '.join(notes) if notes else ''}")
    return failures


TIMELINE_CHECKS = ("guidance/CALF/LEFT/0", "guidance/FOOT/BOTH/0", "guidance/THIGH/None/0", "bedtime/0")


def check_timelines(samples: dict, viewhost: str) -> int:
    """Read the number off the rendered screen 150 ms before and after every change the Python
    timeline predicts: the APL engine must agree (Idle, SetValue, Sequential repeatCount)."""
    failures = 0
    with tempfile.TemporaryDirectory(prefix="render-timeline-") as out:
        shots = {f"timeline-{i}": (name, "landscape", 0) for i, name in enumerate(TIMELINE_CHECKS)}
        plans = {shot: probe_plan(samples[name]) for shot, (name, _, _) in shots.items()}
        results = render_all(shots, samples, viewhost, out, probes=plans)
        for (shot, (name, _, _)), result in zip(shots.items(), results, strict=True):
            readings = zip(plans[shot], result["probes"], strict=True)
            wrong = [(ms, want, got) for (ms, want), (_, got) in readings if got != want]
            failures += bool(wrong)
            print(f"{'ok  ' if not wrong else 'FAIL'} timeline {name}: {len(plans[shot])} readings of the "
                  f"countdown on screen, {len(wrong)} differ from the spoken timeline"
                  + (f" {wrong[:5]}" if wrong else ""))
    return failures


if __name__ == "__main__":
    raise SystemExit(main())
