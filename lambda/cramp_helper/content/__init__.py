"""Loads the per-locale content files and fills their templates for a muscle and a side.

The JSON files beside this module are the only place the skill's words live. Code asks for a
phrase or a technique by key; it never writes user-facing sentences itself.
"""

from __future__ import annotations

import json
import os
from functools import cache

DEFAULT_LOCALE = "en-US"
_HERE = os.path.dirname(os.path.abspath(__file__))  # os.path, not pathlib: cheaper to import


def supported_locales() -> tuple[str, ...]:
    return tuple(sorted(name[:-5] for name in os.listdir(_HERE) if name.endswith(".json")))


class Content:
    """One locale's content, with helpers that keep template filling in one place."""

    def __init__(self, data: dict):
        self.data = data
        self.locale: str = data["locale"]
        self.emergency_number: str = data["emergency_number"]
        self.voice: dict = data.get("voice", {})
        self.cues: dict = data["cues"]
        self.week_starts: int = int(data.get("week_starts", 0))

    # --- lookups -------------------------------------------------------------------------
    def phrase(self, key: str) -> str:
        return self.data["phrases"][key]

    def phrase_list(self, key: str) -> list[str]:
        """A phrase kept as a list of variants (to vary what is said turn by turn)."""
        value = self.data["phrases"][key]
        return list(value) if isinstance(value, list) else [value]

    def section(self, name: str) -> dict:
        """A whole section of the file (history, privacy...)."""
        return self.data[name]

    def red_flag(self, key: str) -> str:
        return self.data["red_flags"][key]

    def muscle_ids(self) -> list[str]:
        return list(self.data["muscles"])

    def side_ids(self) -> list[str]:
        return list(self.data["sides"])

    def knows_muscle(self, muscle: str | None) -> bool:
        return muscle in self.data["muscles"]

    def is_unspecific(self, muscle: str) -> bool:
        return bool(self.data["muscles"].get(muscle, {}).get("unspecific"))

    def routine_id(self, key: str) -> str:
        """The routine for a muscle id; a routine id (BEDTIME) stands for itself."""
        if key in self.data["muscles"]:
            return self.data["muscles"][key]["routine"]
        return key

    def position_ids(self) -> list[str]:
        """Everything a routine position may hold: muscle ids and muscle-free routine ids."""
        return [*self.data["muscles"], *(r for r in self.data["routines"] if r not in self.data["muscles"])]

    def routine(self, muscle: str) -> dict:
        return self.data["routines"][self.routine_id(muscle)]

    def techniques(self, muscle: str) -> list[str]:
        return self.routine(muscle)["techniques"]

    def technique(self, technique_id: str) -> dict:
        return self.data["techniques"][technique_id]

    # --- template filling ----------------------------------------------------------------
    def _named(self, forms: dict, side: str | None) -> str:
        if side == "BOTH":
            return forms["both"]
        if side in ("LEFT", "RIGHT"):
            return forms["side"].format(side=self.data["sides"][side])
        return forms["none"]

    def placeholders(self) -> set[str]:
        """Every name a template may use (see ``fill``)."""
        names = {"your_muscle", "your_limb"}
        for part, forms in self.data["body"].items():
            if "one" in forms:
                names.add(part)
            if "side" in forms:
                names.add(f"your_{part}")
        return names

    def fill(self, text: str, muscle: str, side: str | None) -> str:
        """Fill a template's placeholders for this muscle and side.

        For each body part in the content's ``body``: ``{your_knee}`` names it with its side ("your
        left knee", "both knees", "your knee") and ``{knee}`` agrees in number ("knee" / "knees").
        ``{your_muscle}`` names the cramping muscle; ``{your_limb}`` names the foot for a foot or toe
        cramp and the leg otherwise, so a foot is never called a leg.
        """
        body = self.data["body"]
        number = "many" if side == "BOTH" else "one"
        muscle_forms = self.data["muscles"].get(muscle, body["leg"])
        values = {}
        for part, forms in body.items():
            if number in forms:
                values[part] = forms[number]
            if "side" in forms:
                values[f"your_{part}"] = self._named(forms, side)
        values["your_muscle"] = self._named(muscle_forms, side)
        values["your_limb"] = self._named(body[muscle_forms.get("limb", "leg")], side)
        return text.format_map(values)


@cache
def load(locale: str | None) -> Content:
    """The content for a locale, falling back to the default when the locale has none."""
    name = locale if locale in supported_locales() else DEFAULT_LOCALE
    with open(os.path.join(_HERE, f"{name}.json"), encoding="utf-8") as fh:
        return Content(json.load(fh))
