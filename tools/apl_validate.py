"""Amazon's APL validator (npm apl-suggester, StaticAplTemplateValidator) over the skill's documents.

    python tools/apl_validate.py            # every document the builders can produce; exit 1 on findings
    python tools/apl_validate.py --json     # the findings as JSON

``validate({name: directive_or_document})`` runs tools/apl_check.js once under node for all of them
and returns ``{name: [finding, ...]}``; a finding is {"path", "errorMessage", "level"}. It needs
node and the npm packages of package.json (``npm ci`` at the repository root); without them it
raises ``ValidatorUnavailable`` saying which is missing.

``sample_directives()`` builds every screen the skill can send from the shipped content: a
guidance screen for every technique of every routine on every side, bedtime for both stretches,
a red flag for every red-flag text, history with its chart of a sample month (``sample_month``),
with every card line, with the busiest month a chart draws and with nothing yet, the same screens
with overlong texts, and every locale's guidance, bedtime, red-flag and history screens in its own
words (``locale_directives``). The screen words are ``SCREEN_WORDS`` below: the content keys proposed for the
locale file, until the lead adds them to content/en-US.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKER = os.path.join(ROOT, "tools", "apl_check.js")
PACKAGE = os.path.join(ROOT, "node_modules", "apl-suggester", "package.json")
sys.path.insert(0, os.path.join(ROOT, "lambda"))
sys.path.insert(0, ROOT)

from cramp_helper import apl, guide, insights, periods  # noqa: E402
from cramp_helper.content import load  # noqa: E402
from cramp_helper.speech import Speech  # noqa: E402
from testkit.screens import BEDTIME_BUTTONS, RELIEF_BUTTONS  # noqa: E402

# The words a screen shows, proposed as a "screens" section of content/en-US.json.
SCREEN_WORDS = {
    "progress": "Technique {n} of {total}",
    "unit": "seconds",
    "buttons": {"gone": "It's gone", "still": "Still cramping", "pause": "Pause", "next": "Next stretch",
                "stop": "Stop"},
    "legs": {"LEFT": "Left leg", "RIGHT": "Right leg"},
    "bedtime_progress": "Bedtime stretches: {stretch} ({n} of {total})",
    "bedtime_hold": "{stretch}, {leg}, round {n} of {total}",
    "red_flag_call": "Call",
    "techniques": {
        "calf_toe_pull": {
            "title": "Toes toward your shin",
            "instruction": "Keep your leg straight and pull your toes up. A towel helps.",
        },
        "calf_stand_press": {
            "title": "Press your heel down",
            "instruction": "Hold something steady. Weight on that leg, heel into the floor.",
        },
        "massage": {
            "title": "Massage the muscle",
            "instruction": "Press and rub firmly with your fingers or knuckles.",
        },
        "foot_press": {
            "title": "Press your foot flat",
            "instruction": "Hold something steady. Press your foot flat to stretch the arch.",
        },
        "toes_press": {
            "title": "Press your toes flat",
            "instruction": "Hold something steady. Foot and toes flat on the floor.",
        },
        "foot_massage": {
            "title": "Rub the sole of your foot",
            "instruction": "Sit down. Rub firmly from the heel to the toes.",
        },
        "walk_shake": {
            "title": "Walk and shake it out",
            "instruction": "A few slow steps, then shake the leg out loosely.",
        },
        "warmth_walk": {
            "title": "Warmth, or a short walk",
            "instruction": "A warm towel or shower on the muscle, or a few slow steps.",
        },
        "hamstring_sit_stretch": {
            "title": "Lean toward your foot",
            "instruction": "Leg straight out, toes up. Lean forward gently from your hips.",
        },
        "hamstring_stand_press": {
            "title": "Press your foot down",
            "instruction": "Hold something steady. Stand on that leg, foot into the floor.",
        },
        "quad_stretch": {
            "title": "Heel toward your buttock",
            "instruction": "Hold a chair or the wall. Bend your knee, pull your foot back.",
        },
        "bedtime_calf": {
            "title": "Calf stretch",
            "instruction": "Face the wall, step one leg back, heel down, lean gently.",
        },
        "bedtime_hamstring": {
            "title": "Hamstring stretch",
            "instruction": "Sit on the bed's edge, leg straight, toes up. Lean forward gently.",
        },
    },
    "stretch_names": {"bedtime_calf": "Calf", "bedtime_hamstring": "Hamstring"},
}

LOCALES = ("en-US", "en-CA", "en-GB", "en-AU", "en-IN", "es-US", "es-MX", "es-ES", "de-DE", "fr-FR", "fr-CA",
           "it-IT", "pt-BR")
LONG = ("A very long text that no screen has room for, repeated to overflow every layout the skill has. " * 6)


class ValidatorUnavailable(RuntimeError):
    """node or the npm packages are missing: the message says which, and how to install them."""


def node_path() -> str | None:
    return shutil.which("node")


def validate(named: dict[str, dict], timeout: float = 300) -> dict[str, list[dict]]:
    """Findings per name, for RenderDocument directives or bare APL documents."""
    node = node_path()
    if not node:
        raise ValidatorUnavailable("node is not installed")
    if not os.path.exists(PACKAGE):
        raise ValidatorUnavailable("apl-suggester is not installed: run `npm ci` at the repository root")
    entries = {}
    for name, item in named.items():
        if item.get("type") == apl.RENDER_DOCUMENT:
            entries[name] = {"document": item["document"], "datasources": item["datasources"]}
        else:
            entries[name] = {"document": item}
    done = subprocess.run([node, CHECKER], input=json.dumps(entries), capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"apl_check.js failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


# --- every screen the skill can send ------------------------------------------------------------
def _buttons(arguments, screen_words: dict | None = None) -> list[tuple[str, str]]:
    return [((screen_words or SCREEN_WORDS)["buttons"][a], a) for a in arguments]


def relief_screen(content, turn: guide.Turn, *, long_texts: bool = False,
                  screen_words: dict | None = None) -> dict:
    """The guidance screen for a relief turn, the way a handler would build it (``screen_words``:
    a locale's ``screens`` section; default SCREEN_WORDS)."""
    sw = screen_words or SCREEN_WORDS
    position = turn.position
    techniques = content.techniques(position.muscle)
    technique = techniques[position.technique]
    words = sw["techniques"][technique]
    speech = Speech(content.voice).add(turn.script)
    progress = sw["progress"].format(n=position.technique + 1, total=len(techniques))
    return apl.guidance(
        LONG if long_texts else words["title"], LONG if long_texts else words["instruction"], technique,
        LONG if long_texts else progress,
        apl.countdowns(speech.items, apl.rate_of(speech.voice)),
        [(LONG[:60], a) for a in RELIEF_BUTTONS] if long_texts else _buttons(RELIEF_BUTTONS, sw),
        unit=LONG if long_texts else sw["unit"])


def bedtime_screen(content, turn: guide.Turn, *, long_texts: bool = False,
                   screen_words: dict | None = None) -> dict:
    sw = screen_words or SCREEN_WORDS
    position = turn.position
    techniques = content.techniques(position.muscle)
    technique = techniques[position.technique]
    words = sw["techniques"][technique]
    stretch = sw["stretch_names"][technique]
    speech = Speech(content.voice).add(turn.script)
    plan = apl.countdowns(speech.items, apl.rate_of(speech.voice))
    legs = [sw["legs"][s] for s in guide.SIDES]
    rounds = len(plan) // len(legs)
    labels = [sw["bedtime_hold"].format(stretch=stretch, leg=leg.lower(), n=r + 1, total=rounds)
              for leg in legs for r in range(rounds)]
    progress = sw["bedtime_progress"].format(stretch=stretch, n=position.technique + 1, total=len(techniques))
    if long_texts:
        labels = [LONG for _ in labels]
        legs = [LONG[:80] for _ in legs]
    return apl.bedtime(
        LONG if long_texts else words["title"], LONG if long_texts else words["instruction"], technique,
        LONG if long_texts else progress, plan, legs, labels, _buttons(BEDTIME_BUTTONS, sw),
        unit=sw["unit"])


# --- a month of nights, for the history screen and its chart --------------------------------------
SAMPLE_ZONE = ZoneInfo("America/New_York")
SAMPLE_NOW = datetime(2026, 11, 23, 7, 30, tzinfo=SAMPLE_ZONE)  # a Monday morning
# (nights ago, local time, side): mostly the left calf between 2 and 4 a.m.; bedtime stretches
# every evening of the last nine nights, with fewer cramps since.
SAMPLE_CRAMPS = ((29, "03:10", "LEFT"), (27, "02:40", "LEFT"), (26, "04:05", "RIGHT"), (24, "01:50", "LEFT"),
                 (22, "03:30", "LEFT"), (21, "23:40", "BOTH"), (19, "03:05", "LEFT"), (17, "02:20", "RIGHT"),
                 (16, "05:10", "LEFT"), (14, "03:45", "LEFT"), (12, "02:55", None), (9, "04:20", "RIGHT"),
                 (6, "03:15", "LEFT"), (2, "02:35", "LEFT"), (45, "03:00", "LEFT"), (50, "02:10", "RIGHT"))
SAMPLE_STRETCH_NIGHTS = tuple(range(0, 9))


def _at_night(now: datetime, nights_ago: int, clock: str) -> datetime:
    hour, minute = (int(x) for x in clock.split(":"))
    day = periods.night_of(now) - timedelta(days=nights_ago) + timedelta(days=0 if hour >= 12 else 1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=now.tzinfo)


def sample_month(now: datetime = SAMPLE_NOW, cramps=SAMPLE_CRAMPS,
                 stretch_nights=SAMPLE_STRETCH_NIGHTS) -> tuple[list[dict], list[dict]]:
    """(episodes, sessions) as the repository returns them, for a month like SAMPLE_CRAMPS."""
    def stamp(local: datetime) -> str:
        return f"{local.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"

    episodes = [{"kind": "episode", "started_at": stamp(t), "local_time": t.isoformat(), "muscle": "CALF",
                 "side": side, "outcome": "RELIEVED"}
                for t, side in ((_at_night(now, n, clock), side) for n, clock, side in cramps)]
    sessions = [{"kind": "prevention", "started_at": stamp(t), "local_time": t.isoformat(),
                 "routine": "BEDTIME", "completed": True}
                for t in (_at_night(now, n, "21:30") for n in stretch_nights)]
    return episodes, sessions


def history_screen(content, episodes=None, sessions=None, now: datetime = SAMPLE_NOW, *,
                   chart: bool = True) -> dict:
    """The history screen for a summary, the way actions/history.py and on_screen build it."""
    if episodes is None:
        episodes, sessions = sample_month(now)
    answer = insights.answer(content, insights.SUMMARY, episodes, sessions or [], now, now.tzinfo)
    drawn = insights.chart(content, episodes, sessions or [], now, now.tzinfo) if chart else None
    title, body = answer.card if answer.card else (content.section("screens")["history_title"],
                                                   "\n".join(answer.sentences))
    lines = body.split("\n")
    footer = lines.pop() if answer.card and len(lines) > 1 else ""
    return apl.history(title, lines, footer=footer, chart=drawn)


def locale_directives(locale: str) -> dict[str, dict]:
    """One locale's guidance, bedtime, red-flag and history screens, in its own words."""
    content = load(locale)
    words = content.section("screens")
    flags = content.section("red_flags")
    longest_flag = max((text for key, text in flags.items() if isinstance(text, str) and key.isupper()),
                       key=len)
    turn = guide.begin(content, "BEDTIME", "BOTH")
    return {
        "guidance": relief_screen(content, guide.begin(content, "CALF", "LEFT"), screen_words=words),
        "bedtime": bedtime_screen(content, turn, screen_words=words),
        "red-flag": apl.red_flag(content.emergency_number, fill(longest_flag), title=words["red_flag_title"],
                                 call_label=words["red_flag_call"]),
        "history": history_screen(content),
    }


class SampleValues(dict):
    """Plausible values for any {placeholder} of a content template (the longest likely ones)."""

    SAMPLES = {"days": "30", "date": "Nov 23, 2026", "count": "12 cramps", "previous": "7 cramps",
               "nights": "4 nights", "where": "left calf", "hour": "3 a.m.",
               "relieved": "10", "total": "12", "times": "2 times", "time": "3:02 a.m.",
               "number": "911", "name": "a blood clot"}

    def __missing__(self, key):
        return self.SAMPLES.get(key, "3")


def fill(text: str) -> str:
    return text.format_map(SampleValues())


TYPICAL_CARD = ("card_period", "card_previous", "card_nights", "card_where", "card_time", "card_outcomes",
                "card_last", "card_flag")


def history_lines(content, keys=None) -> tuple[str, list[str]]:
    """The summary card's title and its lines (``keys``, or every line it can hold), filled in."""
    h = content.section("history")
    skip = {"card_title", "card_sent", "card_footer"}
    lines = [fill(text) for key, text in h.items() if key.startswith("card_") and key not in skip
             and isinstance(text, str) and (keys is None or key in keys)]
    return h["card_title"], lines


def sample_directives() -> dict[str, dict]:
    """Every screen kind, every technique's pictogram, every red flag, plus overlong texts."""
    content = load("en-US")
    out: dict[str, dict] = {}
    for routine in ("CALF", "HAMSTRING", "QUADRICEPS", "THIGH", "FOOT", "TOES"):
        for side in (None, "LEFT", "BOTH"):
            turn = guide.begin(content, routine, side)
            while True:
                key = f"guidance/{routine}/{side}/{turn.position.technique}"
                out[key] = relief_screen(content, turn)
                if guide.is_last(content, turn.position):
                    break
                turn = guide.go(content, turn.position, guide.Move.NEXT)
    out["guidance/long-texts"] = relief_screen(content, guide.begin(content, "FOOT", "BOTH"), long_texts=True)
    out["guidance/no-holds"] = apl.guidance("Title", "Instruction", "unknown_technique", "", [], [])
    turn = guide.begin(content, "BEDTIME", "BOTH")
    out["bedtime/0"] = bedtime_screen(content, turn)
    turn = guide.go(content, turn.position, guide.Move.NEXT)
    out["bedtime/1"] = bedtime_screen(content, turn)
    out["bedtime/long-texts"] = bedtime_screen(content, turn, long_texts=True)
    flags = content.section("red_flags")
    for key, text in flags.items():
        if isinstance(text, str) and not key.startswith("_") and key.isupper():
            out[f"red_flag/{key}"] = apl.red_flag(content.emergency_number, fill(text),
                                                      title=flags["card_title"],
                                                      call_label=SCREEN_WORDS["red_flag_call"])
    out["red_flag/long-texts"] = apl.red_flag("112 / 911 / 999", LONG * 3, title=LONG, call_label=LONG)
    footer = content.section("history")["card_footer"]
    out["history"] = history_screen(content)
    title, lines = history_lines(content, TYPICAL_CARD)
    out["history/no-chart"] = apl.history(title, lines, footer=footer)
    title, lines = history_lines(content)
    month = insights.chart(content, *sample_month(), SAMPLE_NOW, SAMPLE_ZONE)
    out["history/all-lines"] = apl.history(title, lines, footer=footer, chart=month)
    busiest = tuple((n, f"{h:02d}:{m:02d}", ("LEFT", "RIGHT", None)[(n + h) % 3])
                    for n in range(31) for h, m in ((1, 5), (3, 20), (4, 45), (22, 10)))
    out["history/busiest-month"] = history_screen(content, *sample_month(cramps=busiest,
                                                                         stretch_nights=range(31)))
    out["history/nothing-yet"] = history_screen(content, [], [])
    long_chart = insights.chart(content, *sample_month(), SAMPLE_NOW, SAMPLE_ZONE)
    long_chart = insights.Chart(long_chart.nights, long_chart.marks, long_chart.weeks, long_chart.stretched,
                                {**long_chart.words, **{k: LONG for k in ("title", "weeks", "first", "last",
                                                                         "label", "stretches")},
                                 "ticks": [LONG] * 3, "legend": dict.fromkeys(insights.SIDE_KEYS, LONG)})
    out["history/long-texts"] = apl.history(LONG, [LONG] * 25, footer=LONG, chart=long_chart)
    out["history/empty"] = apl.history(title, [])
    for locale in LOCALES:
        for name, directive in locale_directives(locale).items():
            out[f"locale/{locale}/{name}"] = directive
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    samples = sample_directives()
    findings = validate(samples)
    if "--json" in argv:
        print(json.dumps(findings, indent=1))
    total = sum(len(f) for f in findings.values())
    for name, found in findings.items():
        for f in found:
            print(f"{name}: {f['level']} {f['path']}: {f['errorMessage']}")
    largest = max(samples, key=lambda n: apl.size_of(samples[n]))
    print(f"{len(samples)} documents validated by apl-suggester: {total} findings; "
          f"largest directive {apl.size_of(samples[largest]):,} B ({largest})")
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
