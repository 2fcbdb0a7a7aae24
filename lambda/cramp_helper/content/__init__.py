"""Loads the per-locale content files and fills their templates for a muscle and a side.

The JSON files beside this module are the only place the skill's words live. Code asks for a
phrase or a technique by key; it never writes user-facing sentences itself.

``locales.json`` lists the supported locales and what belongs to a marketplace rather than a
language: its emergency number, its health line (NHS 111 in the UK, else none) and the locales
whose words it borrows when it has no content file of its own. ``load(locale)``:

- takes any string (Alexa's locale, None, junk): a supported locale, matched without regard to
  case, or else the default (en-US);
- reads only that locale's file, on its first request, and caches one Content per supported
  locale (never per raw string: junk locales cannot grow the cache);
- when the locale has no file, borrows the words of the first file in its ``fallback`` list, then
  the default's, and still says its own numbers: en-GB without en-GB.json speaks en-US words
  with 999 and NHS 111, de-DE without de-DE.json English words with 112.
"""

from __future__ import annotations

import json
import os
from functools import cache

_HERE = os.path.dirname(os.path.abspath(__file__))  # os.path, not pathlib: cheaper to import
LOCALES_FILE = "locales.json"


@cache
def _locales() -> dict:
    with open(os.path.join(_HERE, LOCALES_FILE), encoding="utf-8") as fh:
        return json.load(fh)


def facts(locale: str) -> dict:
    """A supported locale's entry in locales.json: emergency_number, emergency_also,
    health_line, fallback."""
    return _locales()["locales"][locale]


DEFAULT_LOCALE = "en-US"  # the same as locales.json "default" (tests/test_locales.py)


def supported_locales() -> tuple[str, ...]:
    """Every locale the skill answers in its own way, whether or not it has a content file yet."""
    return tuple(sorted(_locales()["locales"]))


def content_files(directory: str = _HERE) -> tuple[str, ...]:
    """The locales that have a content file of their own."""
    return tuple(sorted(name[:-5] for name in os.listdir(directory)
                        if name.endswith(".json") and name != LOCALES_FILE))


@cache
def _by_lower_case() -> dict[str, str]:
    return {name.lower(): name for name in _locales()["locales"]}


def supported(locale: object) -> str:
    """The supported locale ``locale`` names (case aside, surrounding space ignored), else the default."""
    if isinstance(locale, str) and len(locale) <= 16:
        return _by_lower_case().get(locale.strip().lower(), DEFAULT_LOCALE)
    return DEFAULT_LOCALE


def words_file(locale: str, directory: str = _HERE) -> str:
    """Whose words a supported locale speaks: its own file, else its fallbacks', else the default's."""
    for name in (locale, *facts(locale).get("fallback", []), _locales()["default"]):
        if os.path.exists(os.path.join(directory, f"{name}.json")):
            return name
    raise FileNotFoundError(f"no content file for {locale}, its fallbacks or the default")


class Content:
    """One locale's content, with helpers that keep template filling in one place."""

    def __init__(self, data: dict, locale: str | None = None, marketplace: dict | None = None):
        """``data``: a content file; ``locale``: the locale it answers (default: the file's own);
        ``marketplace``: that locale's entry in locales.json, whose numbers win over the file's."""
        local = marketplace or {}
        self._raw, self._marketplace, self._by_numbers = data, local, {}
        self.data = data
        self.words_locale: str = data["locale"]  # whose words these are
        self.locale: str = locale or data["locale"]  # the locale this content answers
        # Dates, times and counts follow the locale when the words are in its language (en-GB with
        # en-US words says "23 November"), else the words' locale (no German month in English).
        same_language = self.locale.split("-")[0] == self.words_locale.split("-")[0]
        self.speech_locale: str = self.locale if same_language else self.words_locale
        self.emergency_number: str = local.get("emergency_number") or data["emergency_number"]
        self.emergency_also: tuple[str, ...] = tuple(local.get("emergency_also", ()))
        self.health_line: str | None = local.get("health_line", data.get("health_line"))
        if self.health_line:  # a marketplace fact, the same in every answer: filled once, here
            self.data = data = _filled(data, "{health_line}", self.health_line)
        # The country's numbers in their spoken forms (speech.Trusted, from countries.py) and its
        # after-hours line, once the turn has chosen the country (``for_numbers``); None before.
        self.spoken_emergency = None
        self.after_hours: str | None = None
        self.spoken_after_hours = None
        self.voice: dict = data.get("voice", {})
        self.cues: dict = data["cues"]
        self.week_starts: int = int(data.get("week_starts", 0))

    def for_numbers(self, emergency: str, also: tuple[str, ...], health_line: str | None,
                    care=None) -> Content:
        """The same words with another country's numbers (countries.care_numbers: the country the
        device is in, not the language's). ``health_line`` None keeps the locale's own. ``care``
        (a countries.CareNumbers) adds the spoken forms of its numbers and its after-hours line.
        Cached."""
        key = (emergency, also, health_line, care)
        if key not in self._by_numbers:
            marketplace = {**self._marketplace, "emergency_number": emergency, "emergency_also": list(also)}
            if health_line:
                marketplace["health_line"] = health_line
            numbers = Content(self._raw, self.locale, marketplace)
            if care is not None:
                numbers.spoken_emergency = care.spoken_emergency
                numbers.after_hours = care.after_hours
                numbers.spoken_after_hours = care.spoken_after_hours
            self._by_numbers[key] = numbers
        return self._by_numbers[key]

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

    def technique(self, technique_id: str, *, seated: bool = False, guard: bool = False) -> dict:
        """A technique, with issue 18's safety during the steps applied (section ``safety_steps``,
        where the locale has it): ``say`` replaces a first step's words; ``seated`` (dizzy, or can't
        stand) gives a standing technique's lying or sitting version (``sitting``); ``guard`` opens a
        standing technique's first step with the standing guard (sit first, a light, stand slowly,
        hold something steady), said once a session (``for_steps``). A locale without ``guard``
        opens every standing technique with its older ``stand_first``."""
        technique = self.data["techniques"][technique_id]
        steps_safety = self.data.get("safety_steps")
        if not steps_safety:
            return technique
        if seated and technique_id in steps_safety.get("sitting", {}):
            return {**technique, "steps": [dict(s) for s in steps_safety["sitting"][technique_id]["steps"]]}
        first = dict(technique["steps"][0])
        if technique_id in steps_safety.get("say", {}):
            first["say"] = steps_safety["say"][technique_id]
        if "guard" not in steps_safety:
            if technique_id in steps_safety.get("standing", ()):
                first["say"] = f'{steps_safety["stand_first"]} {first["say"]}'
        elif guard and technique_id in self.standing():
            first["say"] = f'{steps_safety["guard"]} {first["say"]}'
        return {**technique, "steps": [first, *technique["steps"][1:]]}

    def standing(self) -> frozenset:
        """The techniques that have the person stand or walk (safety_steps.standing and
        standing_also: the bedtime wall stretch, a few slow steps)."""
        steps_safety = self.data.get("safety_steps", {})
        return frozenset((*steps_safety.get("standing", ()), *steps_safety.get("standing_also", ())))

    def has_sitting(self, technique_id: str) -> bool:
        """The technique has a lying or sitting version (safety_steps.sitting)."""
        return technique_id in self.data.get("safety_steps", {}).get("sitting", {})

    def for_steps(self, *, seated: bool, guard: bool) -> StepsView:
        """This content as the step machine should see it for one session: lying or sitting
        versions when ``seated``, the standing guard on a standing technique while ``guard``."""
        return StepsView(self, seated=seated, guard=guard)

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


def read(locale: str, directory: str = _HERE) -> Content:
    """The content for a supported locale, read from ``directory`` (tests point it elsewhere)."""
    name = words_file(locale, directory)
    with open(os.path.join(directory, f"{name}.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    return Content(data, locale=locale, marketplace=facts(locale))


@cache
def _load_supported(locale: str) -> Content:
    return read(locale)


def load(locale: object) -> Content:
    """The content for a request's locale (any value: see the module docstring). Cached per
    supported locale; ``load.cache_info()`` reports that cache."""
    return _load_supported(supported(locale))


load.cache_info = _load_supported.cache_info  # type: ignore[attr-defined]
load.cache_clear = _load_supported.cache_clear  # type: ignore[attr-defined]


def _filled(value, placeholder: str, text: str):
    """``value`` (content data) with ``placeholder`` replaced by ``text`` in every string."""
    if isinstance(value, str):
        return value.replace(placeholder, text)
    if isinstance(value, dict):
        return {k: _filled(v, placeholder, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, placeholder, text) for v in value]
    return value


class StepsView:
    """A Content whose techniques carry one session's safety (Content.for_steps); everything else
    is the content's own."""

    def __init__(self, content: Content, *, seated: bool, guard: bool) -> None:
        self._content, self.seated, self.guard = content, seated, guard

    def technique(self, technique_id: str) -> dict:
        return self._content.technique(technique_id, seated=self.seated, guard=self.guard)

    def __getattr__(self, name: str):
        return getattr(self._content, name)
