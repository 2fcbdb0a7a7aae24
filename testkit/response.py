"""One view over the skill's response envelope, as a person would notice it."""

from __future__ import annotations

from dataclasses import dataclass

from testkit.ssml import hold_seconds, spoken_text


@dataclass
class ResponseView:
    """The response envelope ``lambda_handler`` returned; properties read what Alexa would do."""

    envelope: dict

    @property
    def response(self) -> dict:
        return (self.envelope or {}).get("response") or {}

    @property
    def body(self) -> dict:  # the same as ``response``; the name conversation files use
        return self.response

    @property
    def ssml(self) -> str:
        return (self.response.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        return spoken_text(self.ssml) if self.ssml else ""

    @property
    def reprompt(self) -> str:
        ssml = ((self.response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", "")
        return spoken_text(ssml) if ssml else ""

    @property
    def ended(self) -> bool:
        return self.response.get("shouldEndSession") is not False

    @property
    def card(self) -> dict | None:
        return self.response.get("card")

    @property
    def directives(self) -> list[dict]:
        return self.response.get("directives") or []

    def hold_seconds(self) -> float:
        """Total timed silence in the speech."""
        return hold_seconds(self.ssml)
