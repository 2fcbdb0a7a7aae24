"""Readable conversation tests: YAML files of what a person says and what they must hear.

In the spirit of Bespoken's YAML tests. Each file in tests/conversations/ is one conversation,
played through the real ``lambda_handler`` with requests built the way Alexa builds them: the words
are resolved against the interaction model (tools.resolver), wrapped in an envelope with a local
session (testkit.envelopes), and every response is held to Alexa's rules (tools.alexa_rules) before
any expectation is checked.

File format::

    name: calf cramp at night, eased by the second technique   # required
    locale: en-US                                              # optional, default en-US
    zone: Europe/Berlin          # optional: the device's time zone (the country whose emergency
                                 #   number it hears); default: the test World's, New York
    log_mode: ask                # optional: EPISODE_LOG for this file (ask, on or off); default:
                                 #   the environment's (the tests run "on" unless a file says so)
    screen: true                 # optional: the device is an Echo Show (it reports an APL
                                 #   runtime), so answers carry the night screen and ``touch`` works
    turns:                                                     # required, at least one
      - say: tell leg cramp helper my left calf is cramping
        intent: CrampIntent        # what the words must resolve to (LaunchRequest for a launch,
                                   #   SessionEndedRequest for the end of a session)
        slots: {Muscle: CALF, Side: LEFT}   # resolved ids of the slots listed; null: the slot
                                            #   must be empty; NO_MATCH: filled but unresolved
        speech: "your left calf"   # substring(s) the speech must contain (case-insensitive);
                                   #   a string or a list
        regex: "Halfway\\..*Five more seconds"   # re.search over the speech (DOTALL); or a list
        not: "Welcome"             # substring(s) that must NOT be in the speech
        session: open              # open | closed, after this response
        holds: 60                  # total seconds of <break> silence in the speech
        card: "After your cramp"   # card title substring; null: no card at all
      - say: <session ended>       # the user went quiet: a SessionEndedRequest (USER_INITIATED)
      - event: session_ended       # the same, with an optional reason (and error for ERROR)
        reason: EXCEEDED_MAX_REPROMPTS
      - wait: 120                  # before this turn, the clock moves on (seconds; needs a
        say: I'm ready             #   settable clock: the session's clock with a ``now``)
      - touch: Still cramping      # a tap on a button of the screen on show (its label, or its
                                   #   argument "still"), as the console's ``:touch``: Alexa sends
                                   #   an Alexa.Presentation.APL.UserEvent with that argument
        screen: "countdown 30s"    # substring(s) of the screen this response shows (apl.summary:
                                   #   "[screen guidance] | Technique 2 of 4 | ..."); null: none

When a response carries ``Dialog.ElicitSlot`` (the skill asked "where is the cramp?"), the next
turn's words are resolved with that slot elicited (the dialog model's slot samples count, so a bare
"calf" fills CrampIntent's Muscle) and its request carries dialogState IN_PROGRESS, as on Alexa.

"speech", "regex" and "not" look at the spoken words (SSML tags removed). ``say: no`` and
``say: yes`` stay words (only true/false are YAML booleans here). A turn's words must invoke the
skill ("open leg cramp helper", "ask leg cramp helper ...") when no session is open, as on a real
device. Each file plays as its own Alexa user (an id derived from the file name), so files never
share stored history. Any key not listed above (or registered, below) fails the file when it is
loaded: a misspelt expectation must never pass silently.

Extension point: ``register_expectation("table", check)`` adds a key; ``check(turn, expected)``
gets the ``TurnResult`` and the YAML value and returns None (or an empty list) when satisfied,
otherwise a message or a list of messages (raising AssertionError also works). Register before
files are loaded, e.g. in tests/conftest.py.

Public API: ``load_conversation(path)``, ``conversation_paths(directory)``,
``run_conversation(conversation_or_path, *, handler=None, resolver=None, session=None)`` ->
list of ``TurnResult``, ``register_expectation(key, check)``, ``unregister_expectation(key)``,
``ConversationError``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from testkit.envelopes import LocalSession
from testkit.resolver import END, LAUNCH, NO_MATCH, ROOT, SESSION_ENDED, Elicitation, Resolution, Resolver
from testkit.response import ResponseView
from tools.alexa_rules import check_response

CONVERSATIONS_DIR = ROOT / "tests" / "conversations"
DEFAULT_LOCALE = "en-US"
SESSION_ENDED_EVENT = "session_ended"
UNRESOLVED = "NO_MATCH"  # in a file's slots: the slot was filled with words that did not resolve
FILE_KEYS = {"name", "locale", "zone", "log_mode", "screen", "turns"}
LOG_MODES = ("ask", "on", "off")
INPUT_KEYS = {"say", "event", "reason", "error", "wait", "touch"}
USER_EVENT = "Alexa.Presentation.APL.UserEvent"
RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"

# PyYAML's safe loader, on libyaml where PyYAML was built with it (the safety corpus is 4 MB of YAML:
# 4 s to parse in pure Python, 0.6 s with libyaml). testkit and the corpus tests load with it too.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(SAFE_LOADER):
    """YAML with only true/false as booleans, so ``say: no`` and ``say: yes`` stay words."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))

Check = Callable[["TurnResult", Any], "str | Iterable[str] | None"]


class ConversationError(AssertionError):
    """A conversation file that is malformed, or a turn that did not go as written."""


@dataclass(frozen=True)
class Conversation:
    name: str
    path: Path
    turns: list[dict]
    locale: str = DEFAULT_LOCALE
    zone: str | None = None
    log_mode: str | None = None  # EPISODE_LOG while this file plays (None: the environment's)
    screen: bool = False


@dataclass
class TurnResult:
    """One turn as played: the words, how they resolved, the request and the skill's response."""

    number: int
    say: str
    resolution: Resolution
    request: dict
    response: dict
    extras: dict = field(default_factory=dict)

    @property
    def view(self) -> ResponseView:
        """The skill's response read as a person notices it (testkit.response)."""
        return ResponseView(self.response)

    body = property(lambda self: self.view.body)
    ssml = property(lambda self: self.view.ssml)
    speech = property(lambda self: self.view.speech)
    reprompt = property(lambda self: self.view.reprompt)
    ended = property(lambda self: self.view.ended)
    card = property(lambda self: self.view.card)

    def hold_seconds(self) -> float:
        """Total timed silence (<break> tags) in the speech."""
        return self.view.hold_seconds()

    @property
    def request_name(self) -> str | None:
        """The intent name, or the request type for anything else (LaunchRequest...)."""
        request = self.request.get("request") or {}
        return (request.get("intent") or {}).get("name") or request.get("type")



# --- expectations ------------------------------------------------------------------------------
_EXPECTATIONS: dict[str, Check] = {}


def register_expectation(key: str, check: Check, *, replace: bool = False) -> None:
    """Let conversation files use ``key:``; ``check(turn, expected)`` returns problems."""
    if key in INPUT_KEYS:
        raise ValueError(f"{key!r} is an input key, not an expectation")
    if key in _EXPECTATIONS and not replace:
        raise ValueError(f"expectation {key!r} is already registered")
    _EXPECTATIONS[key] = check


def unregister_expectation(key: str) -> None:
    """Remove a key added with ``register_expectation`` (tests clean up with this)."""
    _EXPECTATIONS.pop(key, None)


def expectation_keys() -> set[str]:
    return set(_EXPECTATIONS)


def _as_list(expected: Any, what: str) -> list[str]:
    items = expected if isinstance(expected, list) else [expected]
    if not items or not all(isinstance(item, str) for item in items):
        raise ConversationError(f"{what}: expected a string or a list of strings, got {expected!r}")
    return items


def _check_intent(turn: TurnResult, expected: Any) -> str | None:
    if turn.request_name != expected:
        return f"resolved to {turn.request_name} (sample {turn.resolution.sample!r}), not {expected}"
    return None


def _slot_outcome(slot) -> str | None:
    """How a slot reads in a conversation file: its id, NO_MATCH, or None when empty."""
    if slot is None:
        return None
    if slot.status == NO_MATCH or (slot.id is None and slot.status is not None):
        return UNRESOLVED
    return slot.id or slot.spoken


def _check_slots(turn: TurnResult, expected: Any) -> list[str]:
    if not isinstance(expected, Mapping):
        raise ConversationError(f"slots: expected a mapping of slot name to id, got {expected!r}")
    problems = []
    for name, wanted in expected.items():
        slot = turn.resolution.slots.get(name)
        got = _slot_outcome(slot)
        if got != wanted:
            words = f" (words {slot.words!r})" if slot else ""
            problems.append(f"slot {name} is {got}{words}, not {wanted}")
    return problems


def _check_speech(turn: TurnResult, expected: Any) -> list[str]:
    speech = turn.speech.lower()
    return [f"speech lacks {text!r}: {turn.speech!r}"
            for text in _as_list(expected, "speech") if text.lower() not in speech]


def _check_regex(turn: TurnResult, expected: Any) -> list[str]:
    return [f"speech does not match /{pattern}/: {turn.speech!r}"
            for pattern in _as_list(expected, "regex") if not re.search(pattern, turn.speech, re.DOTALL)]


def _check_not(turn: TurnResult, expected: Any) -> list[str]:
    speech = turn.speech.lower()
    return [f"speech must not contain {text!r}: {turn.speech!r}"
            for text in _as_list(expected, "not") if text.lower() in speech]


def _check_session(turn: TurnResult, expected: Any) -> str | None:
    if expected not in ("open", "closed"):
        raise ConversationError(f"session: expected open or closed, got {expected!r}")
    actual = "closed" if turn.ended else "open"
    return None if actual == expected else f"session is {actual}, not {expected}"


def _check_holds(turn: TurnResult, expected: Any) -> str | None:
    if isinstance(expected, bool) or not isinstance(expected, int | float):
        raise ConversationError(f"holds: expected a number of seconds, got {expected!r}")
    actual = turn.hold_seconds()
    return None if abs(actual - expected) < 1e-6 else f"holds {actual:g} s of silence, not {expected:g} s"


def _check_card(turn: TurnResult, expected: Any) -> str | None:
    card = turn.card
    if expected is None:
        return None if card is None else f"has a card {card.get('title')!r}, expected none"
    if card is None:
        return f"has no card, expected one titled {expected!r}"
    title = str(card.get("title") or "")
    return None if str(expected).lower() in title.lower() else f"card title {title!r} lacks {expected!r}"


def screen_of(response: dict) -> dict | None:
    """The RenderDocument directive of a response, if it shows a screen."""
    for directive in ((response or {}).get("response") or {}).get("directives") or []:
        if directive.get("type") == RENDER_DOCUMENT:
            return directive
    return None


def buttons_of(response: dict) -> list[dict]:
    """The touch buttons of the screen a response shows: [{"label", "argument"}, ...]."""
    screen = screen_of(response)
    return list(((screen or {}).get("datasources") or {}).get("screen", {}).get("buttons") or [])


def _check_screen(turn: TurnResult, expected: Any) -> list[str] | str | None:
    screen = screen_of(turn.response)
    if expected is None:
        return None if screen is None else f"shows a screen ({_summary(screen)}), expected none"
    if screen is None:
        return f"shows no screen, expected one with {expected!r}"
    shown = _summary(screen)
    return [f"screen lacks {text!r}: {shown}" for text in _as_list(expected, "screen")
            if text.lower() not in shown.lower()]


def _summary(directive: dict) -> str:
    from cramp_helper.apl import summary

    return summary(directive)


for _key, _check in {"intent": _check_intent, "slots": _check_slots, "speech": _check_speech,
                     "regex": _check_regex, "not": _check_not, "session": _check_session,
                     "holds": _check_holds, "card": _check_card, "screen": _check_screen}.items():
    register_expectation(_key, _check)


def _problems_of(check: Check, turn: TurnResult, expected: Any) -> list[str]:
    try:
        outcome = check(turn, expected)
    except ConversationError:
        raise
    except AssertionError as exc:
        return [str(exc) or "expectation failed"]
    if not outcome:
        return []
    return [outcome] if isinstance(outcome, str) else [str(p) for p in outcome]


# --- loading -----------------------------------------------------------------------------------
def conversation_paths(directory: Path = CONVERSATIONS_DIR) -> list[Path]:
    return sorted(Path(directory).glob("*.yaml"))


def load_conversation(path: Path | str) -> Conversation:
    """Parse and validate a conversation file; any unknown key is an error."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ConversationError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConversationError(f"{path.name}: expected a mapping with name and turns")
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise ConversationError(
            f"{path.name}: unknown key(s) {sorted(unknown)}; allowed: {sorted(FILE_KEYS)}")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise ConversationError(f"{path.name}: needs a name")
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        raise ConversationError(f"{path.name}: needs a non-empty list of turns")
    for number, turn in enumerate(turns, 1):
        _validate_turn(path, number, turn)
    zone = data.get("zone")
    if zone is not None and not isinstance(zone, str):
        raise ConversationError(f"{path.name}: zone must be a time zone name")
    log_mode = data.get("log_mode")
    if log_mode is not None and log_mode not in LOG_MODES:
        raise ConversationError(f"{path.name}: log_mode must be one of {', '.join(LOG_MODES)}")
    screen = data.get("screen", False)
    if not isinstance(screen, bool):
        raise ConversationError(f"{path.name}: screen must be true or false")
    if not screen and any("touch" in turn for turn in turns):
        raise ConversationError(f"{path.name}: touch needs a device with a screen (screen: true)")
    return Conversation(data["name"], path, turns, data.get("locale") or DEFAULT_LOCALE, zone,
                        log_mode=log_mode, screen=screen)


def _validate_turn(path: Path, number: int, turn: Any) -> None:
    where = f"{path.name}, turn {number}"
    if not isinstance(turn, dict):
        raise ConversationError(f"{where}: expected a mapping, got {turn!r}")
    allowed = INPUT_KEYS | expectation_keys()
    unknown = set(turn) - allowed
    if unknown:
        raise ConversationError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    if sum(key in turn for key in ("say", "event", "touch")) != 1:
        raise ConversationError(f"{where}: needs exactly one of say, event or touch")
    if "touch" in turn and (not isinstance(turn["touch"], str) or not turn["touch"].strip()):
        raise ConversationError(f"{where}: touch must be a button's label or argument, got {turn['touch']!r}")
    if "say" in turn and not isinstance(turn["say"], str):
        raise ConversationError(f"{where}: say must be text, got {turn['say']!r}")
    if "event" in turn and turn["event"] != SESSION_ENDED_EVENT:
        raise ConversationError(f"{where}: event must be {SESSION_ENDED_EVENT}, got {turn['event']!r}")
    if "wait" in turn and (not isinstance(turn["wait"], int | float) or turn["wait"] < 0):
        raise ConversationError(f"{where}: wait must be a number of seconds, got {turn['wait']!r}")
    if ("reason" in turn or "error" in turn) and "event" not in turn:
        raise ConversationError(f"{where}: reason and error go with event: {SESSION_ENDED_EVENT}")


# --- running -----------------------------------------------------------------------------------
@cache
def resolver_for(locale: str) -> Resolver:
    """One resolver per locale for the whole run (compiling the model is the slow part)."""
    return Resolver.from_locale(locale)


def default_handler() -> Callable[[dict, Any], dict]:
    """The skill's real entry point, lambda_function.lambda_handler."""
    lambda_dir = str(ROOT / "lambda")
    if lambda_dir not in sys.path:
        sys.path.insert(0, lambda_dir)
    from lambda_function import lambda_handler

    return lambda_handler


def user_id_for(path: Path) -> str:
    """A fake Alexa user id, stable per file, so files never share stored history."""
    digest = hashlib.sha256(Path(path).name.encode("utf-8")).hexdigest()[:32].upper()
    return f"amzn1.ask.account.CONVERSATION{digest}"


@contextmanager
def episode_log(mode: str):
    """EPISODE_LOG is ``mode`` inside, and as it was after (ask, on or off: config.episode_log_mode)."""
    before = os.environ.get("EPISODE_LOG")
    os.environ["EPISODE_LOG"] = mode
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("EPISODE_LOG", None)
        else:
            os.environ["EPISODE_LOG"] = before


def run_conversation(conversation: Conversation | Path | str, *, handler=None,
                     resolver: Resolver | None = None,
                     session: LocalSession | None = None) -> list[TurnResult]:
    """Play every turn; raises ConversationError naming the file, the turn and the words."""
    if not isinstance(conversation, Conversation):
        conversation = load_conversation(conversation)
    if conversation.log_mode:
        with episode_log(conversation.log_mode):
            return run_conversation(replace(conversation, log_mode=None), handler=handler,
                                    resolver=resolver, session=session)
    handler = handler or default_handler()
    resolver = resolver or resolver_for(conversation.locale)
    session = session or LocalSession(conversation.locale, user_id=user_id_for(conversation.path))
    session.screen = session.screen or conversation.screen
    results = []
    elicit = None
    shown: dict = {}  # the last response that showed a screen: it stays on show
    for number, turn in enumerate(conversation.turns, 1):
        said = turn.get("say", f"<touch {turn['touch']}>" if "touch" in turn else f"<{turn.get('event')}>")
        where = f"{conversation.path.name}, turn {number} ({said!r})"
        try:
            if "touch" in turn:
                results.append(_touch(number, turn, handler, session, shown))
            else:
                results.append(_play(number, turn, handler, resolver, session,
                                     elicit if session.is_open else None))
        except ConversationError as exc:
            raise ConversationError(f"{where}: {exc}") from None
        elicit = Elicitation.from_response(results[-1].response)
        if screen_of(results[-1].response):
            shown = results[-1].response
    return results


def _touch(number: int, turn: dict, handler, session: LocalSession, shown: dict) -> TurnResult:
    """A tap on a button of the screen the last response showed: the UserEvent Alexa sends."""
    if turn.get("wait"):
        clock = session.clock
        if not hasattr(clock, "now"):
            raise ConversationError("wait needs a settable clock (a session clock with a `now`)")
        clock.now += dt.timedelta(seconds=turn["wait"])
    wanted = turn["touch"].strip().lower()
    buttons = buttons_of(shown)
    pressed = [b for b in buttons
               if wanted in (str(b.get("label", "")).lower(), str(b.get("argument", "")).lower())]
    if not pressed:
        labels = ", ".join(f"{b.get('label')!r} ({b.get('argument')})" for b in buttons) or "none"
        raise ConversationError(f"no button {turn['touch']!r} on the screen shown; its buttons: {labels}")
    # After the session ends the screen stays on show; a tap then reaches the skill in a new session.
    token = (screen_of(shown) or {}).get("token", "")
    request = session.envelope_for({"type": USER_EVENT, "token": token, "arguments": [pressed[0]["argument"]],
                                    "source": {"type": "TouchWrapper", "handler": "Press"}, "components": {}})
    response = handler(request, None)
    problems = check_response(response)
    if problems:
        raise ConversationError(f"invalid response {problems}: {json.dumps(response)[:2000]}")
    session.receive(request, response)
    result = TurnResult(number, f"<touch {pressed[0]['label']}>",
                        Resolution("touch", None, {}, turn["touch"]), request, response)
    return _checked(turn, result)


def _checked(turn: dict, result: TurnResult) -> TurnResult:
    """The turn's expectations (every key that is not an input) against what the skill did."""
    problems = []
    for key, expected in turn.items():
        if key not in INPUT_KEYS:
            problems += _problems_of(_EXPECTATIONS[key], result, expected)
    if problems:
        raise ConversationError("; ".join(problems))
    return result


def _play(number: int, turn: dict, handler, resolver: Resolver, session: LocalSession,
          elicit: Elicitation | None = None) -> TurnResult:
    if turn.get("wait"):
        clock = session.clock
        if not hasattr(clock, "now"):
            raise ConversationError("wait needs a settable clock (a session clock with a `now`)")
        clock.now += dt.timedelta(seconds=turn["wait"])
    said = turn.get("say", "")
    resolution = resolver.resolve(said if "say" in turn else SESSION_ENDED, elicit=elicit)
    request = _request(turn, resolution, session, resolver)
    if elicit is not None and not resolution.new_session:
        elicit.apply(request)
    response = handler(request, None)
    problems = check_response(response)
    if problems:
        raise ConversationError(f"invalid response {problems}: {json.dumps(response)[:2000]}")
    session.receive(request, response)
    result = TurnResult(number, said, resolution, request, response)
    if resolution.kind == END and result.body.get("outputSpeech"):
        raise ConversationError("a response to a SessionEndedRequest must not speak")
    return _checked(turn, result)


def _request(turn: dict, resolution: Resolution, session: LocalSession, resolver: Resolver) -> dict:
    if resolution.kind == END:
        if not session.is_open:
            raise ConversationError("no session is open to end")
        return session.session_ended_request(turn.get("reason", "USER_INITIATED"), turn.get("error"))
    if not session.is_open and not resolution.new_session and resolution.kind != LAUNCH:
        name = " ".join(resolver.invocation)
        raise ConversationError("no session is open, so these words would not reach the skill; "
                                f"start with 'open {name}' or 'ask {name} ...'")
    return session.request_for(resolution)
