"""Does a text fit its place on a screen? A width budget measured without a browser.

tools/render_screens.py lays every text out in Liberation Sans with Amazon's renderer (the truth,
in `make screens`); this is the same question asked in the plain test run: the theme's sizes for
one viewport (``Viewport.resources``: every resource block whose ``when`` holds, in order), each
string's width from the font's own advance widths (testkit/font_widths.json, tools/font_widths.py),
and a line-by-line word wrap (``lines_needed``) against the lines the layout allows.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache

HERE = os.path.dirname(os.path.abspath(__file__))
THEME = os.path.join(HERE, "..", "lambda", "cramp_helper", "screens", "theme.json")
# Kerning and rounding move a line by a pixel or two: a string must leave 1 % of its place free.
SAFETY = 0.99


@cache
def _widths() -> dict:
    with open(os.path.join(HERE, "font_widths.json"), encoding="utf-8") as fh:
        return json.load(fh)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in dp of ``text`` set in Liberation Sans at ``size`` dp (bold: weight 700)."""
    table = _widths()
    face = table["bold" if bold else "regular"]
    fallback = face["M"]  # an unknown character is measured as the widest common letter
    units = sum(face.get(" " if c in "\u00a0\u202f" else c, fallback) for c in text)
    return units * size / table["unitsPerEm"]


def lines_needed(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines a greedy word wrap needs for ``text`` in ``width`` dp; a word wider than the whole
    line counts as overflowing (a large number), as the renderer would clip or break it."""
    if width <= 0:
        return 10**6
    space = text_width(" ", size, bold)
    lines, used = 1, 0.0
    for word in text.split():
        w = text_width(word, size, bold)
        if w > width * SAFETY:
            return 10**6
        if used and used + space + w > width * SAFETY:
            lines, used = lines + 1, w
        else:
            used = used + space + w if used else w
    return lines


# --- the theme's sizes for one viewport ----------------------------------------------------------
@dataclass(frozen=True)
class Viewport:
    name: str
    width: int  # dp
    height: int  # dp
    shape: str = "rectangle"  # or "round"
    mode: str = "hub"  # or "tv"

    def holds(self, when: str) -> bool:
        """A theme ``when`` (``${viewport.x == 'y' && ...}``) for this viewport."""
        expression = when.strip().removeprefix("${").removesuffix("}")
        python = expression.replace("&&", " and ").replace("||", " or ")
        python = re.sub(r"viewport\.(\w+)", r"_v['\1']", python)
        return bool(eval(python, {"__builtins__": {}}, {"_v": self.__dict__}))  # our own theme only

    @property
    @cache  # noqa: B019 (a handful of frozen viewports, for the whole run)
    def resources(self) -> dict:
        """name -> value (dimensions in dp, numbers, strings) as the device resolves them."""
        with open(THEME, encoding="utf-8") as fh:
            theme = json.load(fh)
        out: dict = {}
        for block in theme["resources"]:
            if "when" in block and not self.holds(block["when"]):
                continue
            for kind in ("dimensions", "numbers", "strings", "colors"):
                out.update(block.get(kind, {}))
        return {name: self.dp(value) if isinstance(value, str) and re.fullmatch(r"[\d.]+(vh|vw|dp)", value)
                else value for name, value in out.items()}

    def dp(self, value) -> float:
        """ "4.2vh", "6vw", "20dp" or a number, in dp."""
        if isinstance(value, int | float):
            return float(value)
        number, unit = float(value[:-2]), value[-2:]
        return {"vh": self.height / 100, "vw": self.width / 100, "dp": 1.0}[unit] * number

    def chord(self, top: float) -> float:
        """Width inside the screen at ``top`` dp from its top edge (the circle's chord if round)."""
        if self.shape != "round":
            return float(self.width)
        r = self.width / 2
        d = abs(r - top)
        return 2 * (r * r - d * d) ** 0.5 if d < r else 0.0
