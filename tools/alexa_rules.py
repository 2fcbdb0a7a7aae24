"""Alexa's rules for a response, as a checker: SSML, limits, "ask while the session is open".

Used by every conversation test, the fuzzer and the benchmarks, so any response the project can
produce is held to the same rules. Returns a list of problems; empty means valid.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

ALLOWED_TAGS = {
    "speak", "audio", "break", "emphasis", "p", "s", "prosody", "say-as", "sub", "lang",
    "phoneme", "voice", "w", "amazon:effect", "amazon:domain", "amazon:emotion",
}
PROSODY_VOLUMES = {"silent", "x-soft", "soft", "medium", "loud", "x-loud"}
PROSODY_RATES = {"x-slow", "slow", "medium", "fast", "x-fast"}
MAX_BREAK_MS = 10_000
MAX_SPEECH_CHARS = 8000
MAX_RESPONSE_BYTES = 24 * 1024
MAX_CARD_CHARS = 8000

_TIME = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)$")


def break_ms(value: str) -> float | None:
    match = _TIME.match(value or "")
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2)
    return number * 1000 if unit == "s" else number


def check_ssml(ssml: str) -> list[str]:
    problems = []
    if len(ssml) >= MAX_SPEECH_CHARS:
        problems.append(f"speech is {len(ssml)} characters (limit {MAX_SPEECH_CHARS})")
    try:
        root = _parse(ssml)
    except ET.ParseError as exc:
        return problems + [f"SSML is not well-formed XML: {exc}"]
    if root.tag != "speak":
        problems.append(f"SSML root is <{root.tag}>, not <speak>")
    for element in root.iter():
        tag = element.tag.replace("amazon_", "amazon:")
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}> is not supported by Alexa")
        if tag == "break":
            ms = break_ms(element.get("time", ""))
            if ms is None:
                problems.append(f"break time {element.get('time')!r} has no valid unit")
            elif ms > MAX_BREAK_MS:
                problems.append(f"break of {ms:g} ms is over 10 s")
        if tag == "prosody":
            problems.extend(_check_prosody(element.attrib))
    return problems


def _check_prosody(attrs: dict) -> list[str]:
    problems = []
    volume = attrs.get("volume")
    if volume and volume not in PROSODY_VOLUMES and not re.match(r"^[+-]\d+(\.\d+)?dB$", volume):
        problems.append(f"prosody volume {volume!r} is not valid")
    rate = attrs.get("rate")
    if rate and rate not in PROSODY_RATES:
        match = re.match(r"^(\d+(?:\.\d+)?)%$", rate)
        if not match or float(match.group(1)) < 20:
            problems.append(f"prosody rate {rate!r} is not valid")
    return problems


def _parse(ssml: str) -> ET.Element:
    """Parse SSML; ElementTree rejects undeclared prefixes, and Alexa's amazon: tags have none."""
    return ET.fromstring(ssml.replace("<amazon:", "<amazon_").replace("</amazon:", "</amazon_"))


def spoken_text(ssml: str) -> str:
    """The words of an SSML string, tags removed, entities decoded."""
    try:
        root = _parse(ssml)
    except ET.ParseError:
        return re.sub(r"<[^>]+>", " ", ssml)
    return re.sub(r"\s+", " ", "".join(root.itertext())).strip()


def _speech_of(output_speech: dict | None) -> str | None:
    if not output_speech:
        return None
    if output_speech.get("type") == "SSML":
        return output_speech.get("ssml")
    return None


def check_response(envelope: dict) -> list[str]:
    """Every rule a response envelope must meet."""
    problems = []
    size = len(json.dumps(envelope, separators=(",", ":")).encode("utf-8"))
    if size >= MAX_RESPONSE_BYTES:
        problems.append(f"response is {size} bytes (limit {MAX_RESPONSE_BYTES})")
    response = envelope.get("response") or {}
    speech = _speech_of(response.get("outputSpeech"))
    if response.get("outputSpeech") and speech is None:
        problems.append("outputSpeech is not SSML")
    if speech is not None:
        problems.extend(check_ssml(speech))
    reprompt = _speech_of((response.get("reprompt") or {}).get("outputSpeech"))
    if reprompt is not None:
        problems.extend(f"reprompt: {p}" for p in check_ssml(reprompt))
    if response.get("shouldEndSession") is False:
        if not reprompt:
            problems.append("the session stays open but there is no reprompt")
        if not speech or not spoken_text(speech).rstrip().endswith("?"):
            problems.append("the session stays open but the speech does not end with a question")
    card = response.get("card") or {}
    card_chars = sum(len(str(card.get(k) or "")) for k in ("title", "content", "text"))
    if card_chars >= MAX_CARD_CHARS:
        problems.append(f"card text is {card_chars} characters")
    return problems


def readable(ssml: str) -> str:
    """SSML as a person would hear it: words, with each run of silence shown as "(15 s)"."""
    try:
        root = _parse(ssml)
    except ET.ParseError:
        return re.sub(r"<[^>]+>", " ", ssml)
    parts: list[str] = []
    silence = 0.0

    def flush() -> None:
        nonlocal silence
        if silence:
            parts.append(f"({silence / 1000:g} s)")
            silence = 0.0

    def walk(element) -> None:
        nonlocal silence
        if element.tag == "break":
            silence += break_ms(element.get("time", "")) or 0
        elif element.text and element.text.strip():
            flush()
            parts.append(element.text.strip())
        for child in element:
            walk(child)
            if child.tail and child.tail.strip():
                flush()
                parts.append(child.tail.strip())

    walk(root)
    flush()
    text = ""
    for part in parts:  # a tag's tail that starts with punctuation stays on its word ("911.")
        text += part if not text or (part[0] in ".,!?" and not text.endswith(")")) else " " + part
    return text
