"""Content lines by dotted key, filled and spoken: the words every answer is built from.

``lookup`` finds a line ("phrases.help", "red_flags.CLOT"); ``fill`` puts the country's emergency
number and named values into it; ``text`` does both; ``speak`` and ``spoken_line`` give the line as
speech, with the country's numbers in their spoken forms. Pure; a light import (Help and the
relief steps use it without loading triage's rules).
"""

from __future__ import annotations

import re
from string import Formatter

from .signs import DISTRESS_KINDS
from .speech import Say

# A locale whose file lacks an issue-18 line says the line it had before (a merge in progress, a
# locale added later); tests/unit/test_safety_signs.py checks every locale has every line.
LEGACY = {"safety.CHEST": "red_flags.EMERGENCY",
          **{f"safety.DISTRESS_{k}": f"distress.{k}" for k in DISTRESS_KINDS}}


def _walk(node, key: str):
    for part in key.split("."):
        node = node[part]
    return node


def lookup(content, key: str):
    """A value of the content file by dotted key ("red_flags.CLOT", "phrases.help"). A safety line
    the locale's file lacks: its legacy line (LEGACY), else the default locale's words."""
    node = content.data if hasattr(content, "data") else content
    try:
        return _walk(node, key)
    except KeyError:
        if key in LEGACY:
            try:
                return _walk(node, LEGACY[key])
            except KeyError:
                pass
        if key.split(".")[0] not in ("safety", "safety_steps"):
            raise
        from . import content as content_module

        return _walk(content_module.load(content_module.DEFAULT_LOCALE).data, key)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def fill(content, template: str, **values: str) -> str:
    """Fill ``{emergency}`` (from the locale's emergency_number) and any named ``values``."""
    number = getattr(content, "emergency_number", None)
    if number is None:
        number = lookup(content, "emergency_number")
    return template.format_map({"emergency": number, **values})


def text(content, key: str, **values: str) -> str:
    """A content line by dotted key, filled."""
    return fill(content, lookup(content, key), **values)


_SPOKEN_PLACEHOLDER = re.compile(r"\{(emergency|after_hours)\}")


def speak(content, key: str, **values: str) -> Say:
    """A content line by dotted key as speech: written as ``text`` gives it, spoken with the
    country's numbers in their spoken forms (countries.py's Trusted fragments, which the content
    carries once the turn chose the country): ``{emergency}``, ``{after_hours}``, and the
    after-hours line where the locale's words name it ({health_line}). Without them, plain text."""
    return spoken_line(content, lookup(content, key), **values)


def spoken_line(content, template: str, **values: str) -> Say:
    trusted = {"emergency": getattr(content, "spoken_emergency", None),
               "after_hours": getattr(content, "spoken_after_hours", None)}
    written_values = {"after_hours": getattr(content, "after_hours", None) or "", **values}
    written = fill(content, template, **written_values)
    if not any(trusted.values()):
        return Say(written)
    parts: list = []
    pieces = _SPOKEN_PLACEHOLDER.split(template)
    for index, piece in enumerate(pieces):
        if index % 2:  # a placeholder's name
            fragment = trusted[piece]
            parts.append(fragment if fragment else fill(content, "{" + piece + "}", **written_values))
        elif piece:
            parts.extend(_named_line(content, fill(content, piece, **written_values)))
    return Say(written, tuple(parts))


def _named_line(content, sentence: str) -> list:
    """The after-hours line, filled into the words as text ({health_line}), in its spoken form."""
    line, fragment = getattr(content, "after_hours", None), getattr(content, "spoken_after_hours", None)
    if not line or not fragment or getattr(content, "health_line", None) != line or line not in sentence:
        return [sentence]
    out: list = []
    for index, piece in enumerate(sentence.split(line)):
        if index:
            out.append(fragment)
        if piece:
            out.append(piece)
    return out
