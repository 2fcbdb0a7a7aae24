"""Every locale's longest words fit every declared screen shape, by a measured width budget.

The plain test run has no browser: each string is measured in Liberation Sans (the renderer's
font, testkit/font_widths.json) at the size the theme gives its place on each viewport that
skill.json declares, and word-wrapped into the width that place has, in no more lines than the
layout allows (testkit/text_fit.py). ``make screens`` asks the same of Amazon's renderer itself.
The places and their widths follow screens/*.json: a row layout on landscape screens, a centred
column on round and portrait ones (the circle's chord where a line sits near its top).
"""

from __future__ import annotations

import json
import os
from datetime import date

import pytest

from cramp_helper import cldr, insights
from cramp_helper.actions.on_screen import BEDTIME_BUTTONS, RELIEF_BUTTONS
from cramp_helper.content import load
from testkit.text_fit import Viewport, lines_needed, text_width
from tools.apl_validate import LOCALES, fill

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def declared_viewports() -> list[Viewport]:
    """skill.json's supportedViewports, each at its smallest size (the tightest)."""
    with open(os.path.join(ROOT, "skill.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)["manifest"]
    interfaces = manifest["apis"]["custom"]["interfaces"]
    [apl_interface] = [i for i in interfaces if i["type"] == "ALEXA_PRESENTATION_APL"]
    return [Viewport(f"{v['mode'].lower()}-{v['shape'].lower()}-{v['minWidth']}x{v['minHeight']}",
                     v["minWidth"], v["minHeight"], v["shape"].lower(), v["mode"].lower())
            for v in apl_interface["supportedViewports"]]


VIEWPORTS = declared_viewports()


def test_skill_json_declares_the_echo_show_15_in_landscape_and_portrait_beside_the_first_five():
    shapes = {(v.width, v.height, v.shape, v.mode) for v in VIEWPORTS}
    assert {(1920, 960, "rectangle", "hub"), (960, 1920, "rectangle", "hub")} <= shapes
    assert {(480, 480, "round", "hub"), (960, 480, "rectangle", "hub"), (1024, 600, "rectangle", "hub"),
            (1280, 800, "rectangle", "hub"), (960, 540, "rectangle", "tv")} <= shapes
    assert len(VIEWPORTS) == 7


# --- each locale's words, by the place they are shown in ---------------------------------------------
def words_of(locale: str) -> dict[str, list[str]]:
    """Every string a screen can show, grouped by its place; templates filled with long values."""
    content = load(locale)
    s = content.section("screens")
    h = content.section("history")
    c = content.section("chart")
    stretches = s["stretch_names"].values()
    legs = list(s["legs"].values())
    flags = content.section("red_flags")
    card = [fill(text) for key, text in h.items() if key.startswith("card_") and isinstance(text, str)
            and key not in ("card_title", "card_footer", "card_sent")]
    chart = insights.chart(content, [], [], insights.datetime(2026, 11, 23, 7, 30, tzinfo=insights.UTC), None)
    return {
        "progress": [s["progress"].format(n=4, total=4)]
        + [s["bedtime_hold"].format(stretch=st, leg=leg.lower(), n=3, total=3)
           for st in stretches for leg in legs]
        + [s["bedtime_progress"].format(stretch=st, n=2, total=2) for st in stretches],
        "title": [t["title"] for t in (*s["techniques"].values(), *s["sitting"].values())],
        "instruction": [t["instruction"] for t in (*s["techniques"].values(), *s["sitting"].values())],
        "button": list(s["buttons"].values()),
        "leg": legs,
        "unit": [s["unit"]],
        "call": [s["red_flag_call"]],
        "number": [content.emergency_number],
        "flag_title": [s["red_flag_title"], flags["card_title"]],
        "flag_text": [fill(text) for key, text in flags.items() if isinstance(text, str) and key.isupper()],
        "history_title": [h["card_title"], s["history_title"]],
        "history_line": card + [fill(text) for key, text in h.items() if isinstance(text, str)
                                and not key.startswith("_")],
        "footer": [h["card_footer"]],
        "tick": chart.words["ticks"],
        "caption": [c["weeks"]],
        "date": [cldr.short_date(locale, date(2026, month, 28)) for month in range(1, 13)],
        "legend": [*c["legend"].values(), c["stretches"]],
    }


# On the Echo Spot the centred column starts about 56 dp from the top (build/screens/*-round.png:
# the content is shorter than the circle and centred in it), where the circle is 310 dp wide.
ROUND_FIRST_LINE = 56


def places(v: Viewport) -> dict[str, tuple[float, float, int, bool] | None]:
    """place -> (width dp, font size dp, lines allowed, bold), as screens/*.json lay them out here;
    None where this layout does not show that place."""
    r = v.resources
    column = v.shape == "round" or v.height > v.width
    inner = v.width - 2 * r["padX"]
    if v.shape == "round":  # the first lines sit high in the circle, where it is narrowest
        first = min(inner - 2 * r["progressInset"], v.chord(ROUND_FIRST_LINE))
        second = min(inner, v.chord(ROUND_FIRST_LINE + r["progressSize"] * 1.2))
        heading = min(inner - 2 * r["titleInset"], v.chord(r["padY"]))  # history's title: at the top
    else:
        first = second = heading = inner
    beside = inner - r["picSize"] - r["ringSize"] - 2 * r["gap"]  # text between pictogram and ring
    chart_w = v.width * r["chartShare"]
    legend_text = chart_w - r["chartDot"] - r["chartTickGap"] - r["chartLegendGap"]
    lines_w = inner if column else inner - (r["chartGutter"] + chart_w + r["gap"])
    flag_left, flag_right = (inner, inner) if column else (inner * 0.38, inner * 0.62 - r["gap"])
    return {
        "progress": (first, r["progressSize"], r["progressLines"], False),
        "title": (second, r["titleSize"], r["titleLines"], False),
        "instruction": None if column else (beside, r["textSize"], r["textLines"], False),  # row only
        "button": (inner - 2 * r["buttonPadX"] - 8, r["buttonText"], 1, False),
        "leg": None if column else (r["legLabelWidth"], r["legLabelSize"], 1, False),  # row only
        "unit": (r["ringSize"] * 0.7, r["unitSize"], 1, False),
        "call": (flag_left, r["callSize"], 1, False),
        "number": (flag_left, r["emergencySize"], 1, True),
        "flag_title": (flag_right, r["titleSize"], r["titleLines"] if not column else 10**5, False),
        "flag_text": (flag_right, r["textSize"], 10**5, False),  # it scrolls: a word must fit
        "history_title": (heading, r["titleSize"], r["titleLines"], False),
        "history_line": (lines_w, r["historySize"], 10**5, False),  # they scroll: a word must fit
        "footer": (inner, r["progressSize"], 2 if not column else 10**5, False),
        "tick": (r["chartGutter"] - r["chartTickGap"], r["chartTickSize"], 1, False),
        "caption": (chart_w, r["chartTickSize"], 1, False),
        "date": (chart_w / 2 - 8, r["chartTickSize"], 1, False),
        "legend": (legend_text, r["chartTickSize"], 1, False),
    }


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_of_every_locale_fits_its_place_on_every_declared_screen(locale, viewport):
    budget = places(viewport)
    too_long = []
    for place, strings in words_of(locale).items():
        if budget[place] is None:
            continue
        width, size, allowed, bold = budget[place]
        for text in strings:
            need = lines_needed(text, width, size, bold)
            if need > allowed:
                too_long.append(f"{place}: {text!r} needs {need if need < 10**6 else 'more'} line(s) of "
                                f"{width:.0f} dp at {size:.0f} dp, has {allowed}")
    assert not too_long, "\n".join(too_long)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_the_chart_and_its_labels_fit_beside_or_above_the_lines(viewport):
    r = viewport.resources
    inner = viewport.width - 2 * r["padX"]
    block = r["chartGutter"] + viewport.width * r["chartShare"]
    column = viewport.shape == "round" or viewport.height > viewport.width
    if column:
        top = r["padY"] + r["titleSize"] * 1.3  # the chart starts under the title
        assert block <= min(inner, viewport.chord(top)) + 1, (block, viewport.chord(top))
    else:
        assert block + r["gap"] <= inner * 0.75  # at least a quarter of the width for the lines


def test_the_measure_is_live():
    """A string that plainly cannot fit is caught, and measuring is the font's, not a guess."""
    assert text_width("iiii", 20) < text_width("MMMM", 20) < text_width("MMMM", 20, bold=True) + 1
    assert abs(text_width("Leg cramp summary", 30) - 30 * 0.5 * 17) < 30 * 0.15 * 17
    assert lines_needed("word " * 40, 200, 20) > 3
    assert lines_needed("Unzerbrechlichkeitsversicherungsgesellschaft", 120, 20) >= 10**6


def test_make_screens_renders_every_declared_shape():
    """tools/render_screens.py shows each viewport skill.json declares (apl-suggester takes none)."""
    from tools import render_screens

    with open(os.path.join(ROOT, "skill.json"), encoding="utf-8") as fh:
        declared = [i for i in json.load(fh)["manifest"]["apis"]["custom"]["interfaces"]
                    if i["type"] == "ALEXA_PRESENTATION_APL"][0]["supportedViewports"]
    rendered = [(w * 160 // dpi, h * 160 // dpi, shape, mode)
                for w, h, dpi, shape, mode in render_screens.VIEWPORTS.values()]
    for v in declared:
        assert any(v["minWidth"] <= w <= v["maxWidth"] and v["minHeight"] <= h <= v["maxHeight"]
                   and (shape, mode) == (v["shape"], v["mode"]) for w, h, shape, mode in rendered), v
    checked = {viewport for _, viewport, _ in render_screens.CHECKS.values()}
    assert checked == set(render_screens.VIEWPORTS)


def _button_rows(labels: list[str], width: float, r: dict) -> int:
    """Rows the wrapping button row needs (screens/theme.json Buttons: pills with a gap)."""
    rows, used = 1, 0.0
    for label in labels:
        pill = text_width(label, r["buttonText"]) + 2 * r["buttonPadX"] + 4  # 2 dp border each side
        if used and used + r["buttonGap"] + pill > width:
            rows, used = rows + 1, pill
        else:
            used = used + (r["buttonGap"] if used else 0) + pill
    return rows


@pytest.mark.parametrize("locale", LOCALES)
def test_every_step_of_every_locale_fits_the_height_of_the_round_screen(locale):
    """The Echo Spot's centred column: progress, title, pictogram and countdown,
    buttons; its height at 1.2 lines per font size must fit inside the circle's padding."""
    v = next(v for v in VIEWPORTS if v.shape == "round")
    r = v.resources
    inner = v.width - 2 * r["padX"]
    content = load(locale)
    s = content.section("screens")
    legs = list(s["legs"].values())
    too_tall = []
    for technique, words in (*s["techniques"].items(), *s["sitting"].items()):
        bedtime = technique.startswith("bedtime")
        progress = ([s["bedtime_hold"].format(stretch=st, leg=leg.lower(), n=3, total=3)
                     for st in s["stretch_names"].values() for leg in legs] if bedtime
                    else [s["progress"].format(n=4, total=4)])
        buttons = [s["buttons"][a] for a in (BEDTIME_BUTTONS if bedtime else RELIEF_BUTTONS)]

        def block(text: str, width: float, size: str, allowed: str) -> float:
            return min(lines_needed(text, width, r[size]), r[allowed]) * r[size] * 1.2

        height = max(block(p, v.chord(ROUND_FIRST_LINE), "progressSize", "progressLines") for p in progress)
        height += block(words["title"], inner, "titleSize", "titleLines")
        height += 8 + max(r["picSize"], r["ringSize"])  # the pictogram and the countdown ring, side by side
        rows = _button_rows(buttons, inner, r)
        pill = r["buttonText"] * 1.2 + 2 * r["buttonPadY"] + 4
        height += r["gap"] + rows * pill + (rows - 1) * r["buttonGap"]
        if height > v.height - 2 * r["padY"]:
            too_tall.append(f"{technique}: {height:.0f} dp of {v.height - 2 * r['padY']:.0f}")
    assert not too_tall, too_tall
