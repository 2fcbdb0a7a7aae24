"""What a screen shows: APL documents for Echo Show, Echo Spot and Fire TV, as plain dicts. Pure.

No Alexa types live here: callers pass the device's supportedInterfaces (the envelope's dict or
ask-sdk's object) and the locale's words, and get back a RenderDocument directive as a dict. The
documents are JSON data files in ``screens/``, read the first time a screen device asks and cached;
a request from a screenless device never imports this module (import it inside the ``if``).

One timeline for voice and screen: the spoken SSML plays each hold as breaks with cues
(speech.hold_timeline). ``countdowns`` walks the same items, estimating the words before each hold
(``estimate_seconds``), and the root component's onMount runs Idle + SetValue commands on that
timeline, so the number on screen reaches 0 as the voice says "let go". The countdown freezes
while a cue ("Halfway.") is spoken, as the spoken hold does. tests/test_display.py holds every
countdown to its spoken hold (within 1 s); tools/render_screens.py reads the number off Amazon's
own renderer at every change (within 150 ms of this timeline).

Touch buttons send ``Alexa.Presentation.APL.UserEvent`` with ``arguments == [ARGUMENT]``, one of
``BUTTON_ARGUMENTS``; the handler maps them to the same dialogue answers as the spoken ones.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from .speech import WORDS_PER_SECOND, Hold, Pause, Say, hold_timeline

RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"
USER_EVENT = "Alexa.Presentation.APL.UserEvent"
APL_INTERFACE = "Alexa.Presentation.APL"
DOCUMENT_VERSION = "2023.2"  # what every document declares; older runtimes get no directive
MIN_APL_VERSION = DOCUMENT_VERSION
TOKEN_PREFIX = "legcramp"
RELEASE_REST = 1.0  # seconds the 0 stays up while "let go" is said
MAX_DIRECTIVE_BYTES = 16 * 1024  # of a response's 24 KB; the rest is speech (< 8000) and session state

# Texts are clipped to what a screen can show (every layout clips further with maxLines), which
# also bounds the directive's size whatever the caller passes.
TITLE_CHARS = 100
TEXT_CHARS = 400
LABEL_CHARS = 80
LINE_CHARS = 200
MAX_LINES = 16
MAX_HOLDS = 12

# UserEvent arguments sent by the touch buttons (arguments[0]); dialogue.TOUCHES maps each to an Answer.
GONE = "gone"  # "It's gone"         -> the same as CrampGoneIntent
STILL = "still"  # "Still cramping"  -> the same as StillCrampingIntent
PAUSE = "pause"  # "Pause"           -> the same as AMAZON.PauseIntent
NEXT = "next"  # "Next" (bedtime)    -> the same as AMAZON.NextIntent
RESUME = "resume"  # "Go on"         -> the same as AMAZON.ResumeIntent
STOP = "stop"  # "Stop"              -> the same as AMAZON.StopIntent
BUTTON_ARGUMENTS = (GONE, STILL, PAUSE, NEXT, RESUME, STOP)

PICTOGRAM_IDS = (
    "calf_toe_pull", "calf_stand_press", "massage", "foot_press", "toes_press", "foot_massage",
    "walk_shake", "warmth_walk", "hamstring_sit_stretch", "hamstring_stand_press", "quad_stretch",
    "bedtime_calf", "bedtime_hamstring",
)

_SCREENS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "screens")
_VERSION = re.compile(r"^\s*(\d+)(?:\.(\d+))?")
_RESOURCE_NAME = re.compile(r"@([A-Za-z_]\w*)")
_RATE_WORDS = {"x-slow": 0.6, "slow": 0.8, "medium": 1.0, "fast": 1.25, "x-fast": 1.5}


# --- does this device get a screen? ------------------------------------------------------------
def _version_tuple(value) -> tuple[int, int] | None:
    match = _VERSION.match(str(value or ""))
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


def apl_max_version(supported_interfaces) -> str | None:
    """The device's APL runtime maxVersion, from the envelope's dict or ask-sdk's object; else None."""
    if not supported_interfaces:
        return None
    if isinstance(supported_interfaces, dict):
        apl = supported_interfaces.get(APL_INTERFACE)
        runtime = apl.get("runtime") if isinstance(apl, dict) else None
        version = runtime.get("maxVersion") if isinstance(runtime, dict) else None
    else:  # ask_sdk_model.SupportedInterfaces
        apl = getattr(supported_interfaces, "alexa_presentation_apl", None)
        runtime = getattr(apl, "runtime", None)
        version = getattr(runtime, "max_version", None)
    return version if isinstance(version, str) else None


def supports_apl(supported_interfaces, min_version: str = MIN_APL_VERSION) -> bool:
    """True when the device renders APL at ``min_version`` or newer. Screenless devices: False."""
    have = _version_tuple(apl_max_version(supported_interfaces))
    need = _version_tuple(min_version)
    return have is not None and need is not None and have >= need


# --- one timeline for voice and screen ----------------------------------------------------------
def rate_of(voice: dict | None) -> float:
    """The speaking rate a prosody dict asks for, as a factor of normal speed ("90%" -> 0.9)."""
    rate = str((voice or {}).get("rate") or "").strip()
    if rate.endswith("%"):
        try:
            return max(0.2, float(rate[:-1]) / 100)
        except ValueError:
            return 1.0
    return _RATE_WORDS.get(rate, 1.0)


def estimate_seconds(text: str, rate: float = 1.0) -> float:
    """How long Alexa takes to say ``text``: words / 2.4 s at normal speed, slower at a lower rate."""
    words = len(str(text).split())
    return words / (WORDS_PER_SECOND * max(rate, 0.2))


@dataclass(frozen=True)
class Countdown:
    """One hold on the shared timeline.

    ``start``: seconds from the start of the speech to the hold's first silence. ``seconds``: the
    hold as stated. ``freezes``: (hold second, duration) for each cue spoken inside the hold; the
    number stays still while it is said, as the spoken silence does.
    """

    start: float
    seconds: int
    freezes: tuple[tuple[float, float], ...] = ()

    @property
    def end(self) -> float:
        """When the countdown reaches 0: the moment the release cue ("let go") starts."""
        return self.start + self.seconds + sum(duration for _, duration in self.freezes)

    def tick_times(self) -> list[float]:
        """When the number drops from ``seconds - j + 1`` to ``seconds - j``, for j = 1..seconds."""
        times = []
        for j in range(1, self.seconds + 1):
            frozen = sum(duration for at, duration in self.freezes if at < j)
            times.append(self.start + j + frozen)
        return times


def countdowns(items: Iterable, rate: float = 1.0) -> list[Countdown]:
    """The holds of a speech (its Say / Pause / Hold items) on the timeline the voice will play."""
    out: list[Countdown] = []
    at = 0.0
    for item in items:
        if isinstance(item, Say):
            at += estimate_seconds(item.text, rate)
        elif isinstance(item, Pause):
            at += float(item.seconds)
        elif isinstance(item, Hold):
            events = hold_timeline(item)
            start, held, freezes = at, 0.0, []
            for kind, value in events[:-1]:  # the last event is the release cue, after the hold
                if kind == "break":
                    held += value
                    at += value
                else:
                    duration = estimate_seconds(value, rate)
                    freezes.append((held, duration))
                    at += duration
            out.append(Countdown(start, max(0, int(item.seconds)), tuple(freezes)))
            at += estimate_seconds(events[-1][1], rate)
    return out


def _as_countdowns(holds: Sequence) -> list[Countdown]:
    """Countdowns as given, or plain (offset seconds, hold seconds) pairs with no cue freezes."""
    out = []
    for hold in holds:
        if isinstance(hold, Countdown):
            out.append(hold)
        else:
            offset, seconds = hold
            out.append(Countdown(float(offset), int(seconds)))
    if any(b.start < a.end for a, b in zip(out, out[1:], strict=False)):
        raise ValueError("holds overlap on the timeline")
    if len(out) > MAX_HOLDS:
        raise ValueError(f"{len(out)} holds in one step; a screen shows at most {MAX_HOLDS}")
    return out


def _runs(hold: Countdown) -> list[tuple[float, int, int]]:
    """The hold's ticks as runs one second apart: (time of the first tick, value shown, ticks)."""
    freezes = sorted(hold.freezes)
    runs, j, frozen, f = [], 1, 0.0, 0
    while j <= hold.seconds:
        while f < len(freezes) and freezes[f][0] < j:  # cues said before tick j delay it
            frozen += freezes[f][1]
            f += 1
        last = hold.seconds if f == len(freezes) else max(j, min(hold.seconds, int(freezes[f][0])))
        runs.append((hold.start + j + frozen, hold.seconds - j, last - j + 1))
        j = last + 1
    return runs


def countdown_commands(holds: Sequence) -> list[dict]:
    """The root component's onMount commands that play ``holds``: Idle to each moment, SetValue.

    Bound values on the component "root": ``hold`` (1-based index of the current or next hold),
    ``holding`` (true while the muscle is held) and ``remaining`` (the number shown). Each run
    of one-second ticks is one SetValue and one Sequential with repeatCount whose SetValue is
    ``${remaining - 1}`` (APL inflates each repetition afresh, in the root's context), so a
    technique costs a few hundred bytes, not a command per second. The number rests on 0 for up
    to a second while "let go" is said, then shows the next hold's seconds, dimmed.
    """
    plan = _as_countdowns(holds)
    commands: list[dict] = []
    clock = 0

    def at(seconds: float) -> None:
        nonlocal clock
        when = int(round(seconds * 1000))
        if when > clock:
            commands.append({"type": "Idle", "delay": when - clock})
            clock = when

    def set_value(name: str, value) -> None:
        commands.append({"type": "SetValue", "componentId": "root", "property": name, "value": value})

    for index, hold in enumerate(plan, start=1):
        at(hold.start)
        set_value("holding", True)
        for first, value, count in _runs(hold):
            at(first)
            set_value("remaining", value)
            if count > 1:
                commands.append({"type": "Sequential", "repeatCount": count - 2, "commands": [
                    {"type": "Idle", "delay": 1000},
                    {"type": "SetValue", "componentId": "root", "property": "remaining",
                     "value": "${remaining - 1}"},
                ]})
                clock += 1000 * (count - 1)
        after = hold.end + RELEASE_REST
        if index < len(plan):
            after = min(after, plan[index].start)
        at(max(after, hold.end))
        set_value("holding", False)
        set_value("hold", index + 1)
        if index < len(plan):
            set_value("remaining", plan[index].seconds)
    return commands


# --- documents ----------------------------------------------------------------------------------
@cache
def _load(name: str) -> dict:
    with open(os.path.join(_SCREENS, f"{name}.json"), encoding="utf-8") as fh:
        return json.load(fh)


@cache
def pictogram(pictogram_id: str) -> dict:
    """The AVG graphic for a technique, built from its line drawing in screens/pictograms.json."""
    drawings = _load("pictograms")
    drawing = drawings.get(pictogram_id) or drawings["_default"]
    style = {"fill": "transparent", "strokeWidth": drawings["_stroke"], "strokeLineCap": "round",
             "strokeLineJoin": "round"}
    items = [{"type": "path", "pathData": path, "stroke": "${ink}", **style} for path in drawing["ink"]]
    items += [{"type": "path", "pathData": path, "stroke": "${accent}", **style}
              for path in drawing.get("accent", [])]
    size = drawings["_size"]
    return {
        "type": "AVG", "version": "1.2", "width": size, "height": size,
        "parameters": [{"name": "ink", "type": "color", "default": "#EADFCB"},
                       {"name": "accent", "type": "color", "default": "#F0A94B"}],
        "items": items,
    }


@cache
def _template(kind: str) -> tuple[dict, dict, dict]:
    """(layouts, graphics, mainTemplate) of a screen kind, theme included, notes stripped."""
    theme = _load("theme")
    screen = _load(kind)
    uses = screen.get("uses", [])  # the theme's layouts, styles and graphics this screen needs
    layouts = {name: {k: v for k, v in layout.items() if k != "description"}
               for name, layout in {**theme["layouts"], **screen.get("layouts", {})}.items() if name in uses}
    styles = {name: style for name, style in theme["styles"].items() if name in uses}
    graphics = {name: graphic for name, graphic in theme["graphics"].items() if name in uses}
    # Only the resources this screen names (@name), so a screen does not carry every other's sizes.
    named = set(_RESOURCE_NAME.findall(json.dumps([screen["mainTemplate"], layouts, styles, graphics])))
    resources = []
    for block in theme["resources"]:
        kept = {kind: {name: value for name, value in values.items() if name in named}
                for kind, values in block.items() if kind not in ("description", "when")}
        kept = {kind: values for kind, values in kept.items() if values}
        if kept:
            resources.append({**({"when": block["when"]} if "when" in block else {}), **kept})
    shared = {"resources": resources, "styles": styles, "layouts": layouts}
    return shared, graphics, screen["mainTemplate"]


def document(kind: str, *, onmount: list[dict] | None = None, graphics: dict | None = None) -> dict:
    """The full APL document of a screen kind: the shared theme plus that screen's template.

    ``onmount`` goes on the root component (id "root"), whose context holds the countdown's bound
    values. The cached parts are shared between documents: treat the result as read-only.
    """
    shared, theme_graphics, main = _template(kind)
    if onmount:
        items = [{**item, "onMount": onmount} for item in main["items"]]
        main = {**main, "items": items}
    return {
        "type": "APL",
        "version": DOCUMENT_VERSION,
        "theme": "dark",
        "background": "#000000",
        **shared,
        "graphics": {**theme_graphics, **(graphics or {})},
        "mainTemplate": main,
    }


def _clip(text, limit: int) -> str:
    text = " ".join(str(text if text is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _directive(kind: str, doc: dict, screen: dict) -> dict:
    return {
        "type": RENDER_DOCUMENT,
        "token": f"{TOKEN_PREFIX}-{kind}",
        "document": doc,
        "datasources": {"screen": screen},
    }


def _buttons(buttons: Sequence[tuple[str, str]]) -> list[dict]:
    out = []
    for label, argument in buttons:
        if argument not in BUTTON_ARGUMENTS:
            raise ValueError(f"unknown button argument {argument!r}")
        out.append({"label": _clip(label, LABEL_CHARS), "argument": argument})
    return out


def _hold_fields(plan: list[Countdown]) -> dict:
    return {"holds": [c.seconds for c in plan], "firstHold": plan[0].seconds if plan else -1}


def guidance(title: str, instruction: str, pictogram_id: str, progress_text: str,
             holds: Sequence = (), buttons: Sequence[tuple[str, str]] = (), *,
             unit: str = "", hold_labels: Sequence[str] = ()) -> dict:
    """A relief step: title, one-line instruction, pictogram, progress, a countdown per hold, buttons.

    ``holds``: Countdowns from ``countdowns(speech.items, rate)``, or (offset s, seconds) pairs.
    ``buttons``: (label, argument) pairs, e.g. [("It's gone", GONE), ("Still cramping", STILL),
    ("Pause", PAUSE)]. ``unit``: the word under the number ("seconds"); ``hold_labels``: one line per
    hold shown under the countdown (optional).
    """
    plan = _as_countdowns(holds)
    screen = {
        "title": _clip(title, TITLE_CHARS), "instruction": _clip(instruction, TEXT_CHARS),
        "progress": _clip(progress_text, LABEL_CHARS), "unit": _clip(unit, LABEL_CHARS),
        "holdLabels": [_clip(x, LABEL_CHARS) for x in hold_labels][:MAX_HOLDS], "legs": [],
        "buttons": _buttons(buttons), **_hold_fields(plan),
    }
    doc = document("guidance", onmount=countdown_commands(plan),
                   graphics={"pictogram": pictogram(pictogram_id)})
    return _directive("guidance", doc, screen)


def bedtime(title: str, instruction: str, pictogram_id: str, progress_text: str,
            holds: Sequence, legs: Sequence[str], hold_labels: Sequence[str],
            buttons: Sequence[tuple[str, str]] = (), *, unit: str = "") -> dict:
    """A bedtime stretch: the guidance screen plus both legs' progress.

    ``legs``: one label per leg, in the order the holds go ("Left leg", "Right leg"); the holds are
    split evenly between them (rounds per leg = len(holds) // len(legs)). ``hold_labels``: one line
    per hold, e.g. "Calf, left leg, round 2 of 3", shown as that hold runs.
    """
    plan = _as_countdowns(holds)
    if legs and len(plan) % len(legs):
        raise ValueError("the holds must split evenly between the legs")
    rounds = len(plan) // len(legs) if legs else 0
    leg_rows = [{"label": _clip(label, LABEL_CHARS),
                 "holds": list(range(i * rounds + 1, (i + 1) * rounds + 1))} for i, label in enumerate(legs)]
    screen = {
        "title": _clip(title, TITLE_CHARS), "instruction": _clip(instruction, TEXT_CHARS),
        "progress": _clip(progress_text, LABEL_CHARS), "unit": _clip(unit, LABEL_CHARS),
        "holdLabels": [_clip(x, LABEL_CHARS) for x in hold_labels][:MAX_HOLDS], "legs": leg_rows,
        "buttons": _buttons(buttons), **_hold_fields(plan),
    }
    doc = document("guidance", onmount=countdown_commands(plan),
                   graphics={"pictogram": pictogram(pictogram_id)})
    return _directive("bedtime", doc, screen)


def red_flag(number: str, text: str, *, title: str = "", call_label: str = "") -> dict:
    """A red flag: the emergency number large, then what to do (the spoken red-flag text)."""
    screen = {"number": _clip(number, 16), "text": _clip(text, TEXT_CHARS),
              "title": _clip(title, TITLE_CHARS), "call": _clip(call_label, LABEL_CHARS)}
    return _directive("red_flag", document("red_flag"), screen)


def same_day(heading: str, text: str, *, after_hours: str = "") -> dict:
    """Same-day care on the red-flag layout: ``heading`` ("Get care today") where the call label
    goes, no large number (only an emergency shows the emergency number large), the after-hours line
    as the title, then what to do."""
    screen = {"number": "", "text": _clip(text, TEXT_CHARS), "title": _clip(after_hours, TITLE_CHARS),
              "call": _clip(heading, LABEL_CHARS)}
    return _directive("same_day", document("red_flag"), screen)


def history(title: str, lines: Sequence[str], *, footer: str = "", chart=None) -> dict:
    """The history summary card's contents, one line per row, under the month of nights.

    ``chart``: an ``insights.Chart`` (the same items and window as the spoken summary), drawn as
    the AVG graphic "chart" (``chart_graphic``); None: the lines alone (the history could not be
    read).
    """
    screen = {"title": _clip(title, TITLE_CHARS),
              "lines": [_clip(x, LINE_CHARS) for x in lines if str(x).strip()][:MAX_LINES],
              "footer": _clip(footer, LINE_CHARS), "chart": _chart_words(chart)}
    graphics = {"chart": chart_graphic(chart)} if chart is not None else None
    return _directive("history", document("history", graphics=graphics), screen)


# --- the month of nights (AVG) -----------------------------------------------------------------
# The chart's drawing units: a strip of week counts, the plot (24 hours, noon at the top, so a
# night reads downwards), and a strip of bedtime-stretch dots. apl.json's layout NightChart sizes
# the graphic to exactly this aspect (scale "fill" never distorts it) and puts the time labels
# beside the plot at the same fractions (CHART_TICKS).
CHART_W = 400
CHART_COUNTS = 30
CHART_PLOT = 160
CHART_STRIP = 24
CHART_H = CHART_COUNTS + CHART_PLOT + CHART_STRIP
CHART_TICK_HOURS = (6, 12, 18)  # hours after noon with a gridline: 6 p.m., midnight, 6 a.m.
MAX_MARKS = 250  # 8 cramps a night, every night: far past anything a person logs; bounds the size
_MARK_COLOURS = {"LEFT": "leftColor", "RIGHT": "rightColor", "OTHER": "otherColor"}


def _chart_words(chart) -> dict:
    if chart is None:
        return {"shown": False}
    w = chart.words
    return {"shown": True, "title": _clip(w["title"], LABEL_CHARS), "weeks": _clip(w["weeks"], LABEL_CHARS),
            "ticks": [_clip(t, 24) for t in w["ticks"]], "first": _clip(w["first"], 24),
            "last": _clip(w["last"], 24), "label": _clip(w["label"], TEXT_CHARS),
            "legend": [*({"label": _clip(w["legend"][k], LABEL_CHARS), "key": k} for k in _MARK_COLOURS),
                       {"label": _clip(w["stretches"], LABEL_CHARS), "key": "STRETCH"}],
            "total": chart.total, "nights": chart.nights,
            "plotTop": CHART_COUNTS / CHART_H, "plotShare": CHART_PLOT / CHART_H, "aspect": CHART_H / CHART_W}


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")  # one decimal, none when it is 0: "12", "12.5"


def _dots(points) -> str:
    """Dots as one path: a tiny stroke at each point, drawn with a round cap as wide as the dot
    (about 12 bytes a dot, so a busy month stays far inside a response)."""
    text = "".join(f"M{x:.1f},{y:.1f}h.1" for x, y in points)
    return text.replace(".0,", ",").replace(".0h", "h")  # each number as _n writes it


def _dot_path(points, colour: str, radius: float) -> dict:
    return {"type": "path", "pathData": _dots(points), "stroke": "${" + colour + "}",
            "strokeWidth": round(2 * radius, 1), "strokeLineCap": "round"}


def chart_graphic(chart) -> dict:
    """The AVG drawing of an ``insights.Chart``: week bands with their counts, gridlines at 6 p.m.,
    midnight and 6 a.m., one dot per cramp coloured by leg, and a dot under each night with
    bedtime stretches. Colours are parameters (the theme's, set by the layout)."""
    if len(chart.marks) > MAX_MARKS:
        raise ValueError(f"{len(chart.marks)} cramps in 30 days: more than a chart draws ({MAX_MARKS})")
    nights = max(1, chart.nights)
    col = CHART_W / nights
    top, bottom = CHART_COUNTS, CHART_COUNTS + CHART_PLOT
    items: list[dict] = []
    for i, week in enumerate(chart.weeks):
        x, width = week.first * col, week.nights * col
        if i % 2 == len(chart.weeks) % 2:  # alternate bands, the newest week always shaded
            items.append({"type": "path", "fill": "${bandColor}",
                          "pathData": f"M{_n(x)},{top}h{_n(width)}v{CHART_PLOT}h{_n(-width)}Z"})
        items.append({"type": "text", "text": str(week.count), "x": round(x + width / 2, 1), "y": 23,
                      "fontSize": 22 if week.nights > 2 else 16, "textAnchor": "middle",
                      "fill": "${countColor}" if week.count else "${gridColor}"})
    grid = "".join(f"M0,{_n(top + h * CHART_PLOT / 24)}h{CHART_W}" for h in CHART_TICK_HOURS)
    items.append({"type": "path", "pathData": grid, "stroke": "${gridColor}", "strokeWidth": 1.5,
                  "strokeDashArray": [4, 4]})
    items.append({"type": "path", "pathData": f"M0,{bottom}h{CHART_W}", "stroke": "${gridColor}",
                  "strokeWidth": 1.5})
    radius = min(col * 0.42, 6.0)
    for key, colour in _MARK_COLOURS.items():
        points = [((m.night + 0.5) * col, top + m.hour * CHART_PLOT / 24)
                  for m in chart.marks if m.side == key]
        if points:
            items.append(_dot_path(points, colour, radius))
    if chart.stretched:
        points = [((n + 0.5) * col, bottom + CHART_STRIP / 2) for n in chart.stretched]
        items.append(_dot_path(points, "stretchColor", min(col * 0.3, 4.0)))
    return {"type": "AVG", "version": "1.2", "width": CHART_W, "height": CHART_H,
            "parameters": _CHART_PARAMETERS, "items": items}


_CHART_COLOURS = {"leftColor": "#F0A94B", "rightColor": "#7FB2E5", "otherColor": "#EADFCB",
                  "stretchColor": "#8FC99B", "gridColor": "#4A3F31", "bandColor": "#16120D",
                  "countColor": "#EADFCB"}
# Shared by every chart, as the cached document parts are (``document``): read-only.
_CHART_PARAMETERS = [{"name": name, "type": "color", "default": value}
                     for name, value in _CHART_COLOURS.items()]


def splice(body: dict, directive: dict | None) -> dict:
    """Add a directive to a response already serialized to a dict (skill.py's ``body``).

    The cheap way to send a screen: ask-sdk's serializer walks every node of a dict document
    (about 0.8 ms for the calf screen here), while the Lambda runtime's JSON encoding of the
    finished dict is C. A screenless answer (``directive`` None) is returned unchanged.
    """
    if directive:
        response = body.setdefault("response", {})
        response["directives"] = [*(response.get("directives") or []), directive]
    return body


def size_of(directive: dict) -> int:
    """Bytes the directive adds to a response, serialized compactly (as tools/alexa_rules.py counts)."""
    return len(json.dumps(directive, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def summary(directive: dict) -> str:
    """A one-line text summary of a RenderDocument, for the console and logs."""
    screen = (directive.get("datasources") or {}).get("screen") or {}
    kind = str(directive.get("token", "")).removeprefix(f"{TOKEN_PREFIX}-")
    parts = [f"[screen {kind}]"]
    for key in ("progress", "title", "number"):
        if screen.get(key):
            parts.append(str(screen[key]))
    holds = screen.get("holds") or []
    if holds:
        parts.append("countdown " + " + ".join(f"{s}s" for s in holds))
    if screen.get("lines"):
        parts.append(f"{len(screen['lines'])} lines")
    if screen.get("buttons"):
        parts.append("buttons: " + ", ".join(b["label"] for b in screen["buttons"]))
    return " | ".join(parts)

