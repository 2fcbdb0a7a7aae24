"""Talk to Leg Cramp Helper on a laptop: the README's run command.

Type what you would say to Alexa. The words are resolved to an intent and slots from the shipped
interaction model (tools/resolver.py), wrapped in a real request envelope (testkit/envelopes.py),
and handed to the shipped ``lambda_handler`` code, with its episode table on a local
DynamoDB-compatible endpoint (moto's server, tools/local_dynamodb.py). For each turn it prints
what Alexa would say, pauses shown as "(10 s)", the card, whether the microphone stays open, and
what was written to the table.

    make run                                  # typed, when stdin is a terminal
    make run < /dev/null                      # not a terminal: plays the built-in demo night
    make run ARGS="--script my-night.txt"     # a conversation from a file
    make run ARGS="--speak"                   # also render each answer to WAV with espeak-ng
    make run ARGS="--locale en-GB"            # as a device set to en-GB (its model, its number)
    make run ARGS="--fresh"                   # forget the stored history first
    make run ARGS="--logs"                    # also show the skill's structured log lines
    make run ARGS="--log-mode on"             # EPISODE_LOG: ask (default), on or off

Lines starting with ":" are console commands, in typed and scripted conversations alike:
    :at today 03:02     set the clock (local time; "today", "yesterday", "+1d" or a date)
    :wait 90            let seconds pass
    :silence            say nothing: Alexa reprompts, then closes the session
    :new                end the session and start afresh
    :touch Pause        tap a button of the screen on show (its label or argument; with --screen)
    :quit               leave
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]

from cramp_helper.speech import WORDS_PER_SECOND  # noqa: E402  (moves the console clock along)
from testkit.alexa_api import RecordingApiClient, time_zone_route  # noqa: E402
from testkit.envelopes import SKILL_ID, LocalSession  # noqa: E402
from tools.alexa_rules import check_response, readable  # noqa: E402
from tools.resolver import Elicitation, Resolver  # noqa: E402

DEFAULT_ZONE = "America/New_York"
DEFAULT_LOCALE = "en-US"
# A device's time zone for each locale when --tz is not given: the marketplace's largest city.
LOCALE_ZONES = {
    "en-US": "America/New_York", "en-CA": "America/Toronto", "en-GB": "Europe/London",
    "en-AU": "Australia/Sydney", "en-IN": "Asia/Kolkata", "es-US": "America/Los_Angeles",
    "es-MX": "America/Mexico_City", "es-ES": "Europe/Madrid", "de-DE": "Europe/Berlin",
    "fr-FR": "Europe/Paris", "fr-CA": "America/Toronto", "it-IT": "Europe/Rome",
    "pt-BR": "America/Sao_Paulo",
}
# espeak-ng voices for each locale, best first (`espeak-ng --voices`; 1.51 has no en-AU, en-IN or
# fr-CA voice, so those take the nearest). The first one installed is used.
ESPEAK_VOICES = {
    "en-US": ("en-us",), "en-CA": ("en-us",), "en-GB": ("en-gb",), "en-AU": ("en-au", "en-gb"),
    "en-IN": ("en-in", "en-gb"), "es-US": ("es-419", "es"), "es-MX": ("es-419", "es"),
    "es-ES": ("es",), "de-DE": ("de",), "fr-FR": ("fr-fr", "fr"), "fr-CA": ("fr-ca", "fr-fr", "fr"),
    "it-IT": ("it",), "pt-BR": ("pt-br", "pt"),
}
SPEECH_DIR = ROOT / "build" / "speech"
MODELS_DIR = ROOT / "interaction_models"

DEMO_NIGHT = """\
# A calf cramp wakes you at 3 a.m.
:at today 03:02
tell leg cramp helper my left calf is cramping
still cramping
it's gone
# The next evening, how has it been?
:at today 19:30
ask leg cramp helper how have my cramps been
# At bedtime, the stretches that may help prevent the next one
:at today 21:45
tell leg cramp helper to start my bedtime stretches
next
# Later a leg looks wrong: that gets urgent advice, never a stretch
:at today 23:10
tell leg cramp helper my left calf is swollen and red
"""


def demo_night() -> list[str]:
    """The demo night's lines; with EPISODE_LOG=ask (the default) the person says yes to the
    question after the cramp, so the evening's history question has a history to answer from."""
    from cramp_helper.config import LOG_ASK, episode_log_mode

    lines = DEMO_NIGHT.splitlines()
    if episode_log_mode() == LOG_ASK:
        lines.insert(lines.index("it's gone") + 1, "yes")
    return lines


@dataclass
class Clock:
    """The console's notion of now: real time until a script sets it, then moved by each answer."""

    zone: ZoneInfo
    fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed if self.fixed is not None else datetime.now(UTC)

    def set(self, spec: str) -> None:
        parts = spec.split()
        today = self().astimezone(self.zone).date()
        day, clock = today, parts[-1]
        for part in parts[:-1]:
            if part == "today":
                day = today
            elif part == "yesterday":
                day = today - timedelta(days=1)
            elif re.fullmatch(r"[+-]\d+d", part):
                day = today + timedelta(days=int(part[:-1]))
            else:
                day = date.fromisoformat(part)
        hours, minutes = (int(x) for x in clock.split(":"))
        self.fixed = datetime.combine(day, time(hours, minutes), tzinfo=self.zone).astimezone(UTC)

    def advance(self, seconds: float) -> None:
        self.fixed = self() + timedelta(seconds=seconds)


@dataclass
class TableLog:
    """Every table call the skill makes in a turn, recorded through a botocore hook."""

    lines: list[str] = field(default_factory=list)
    _params: dict = field(default_factory=dict)

    def attach(self, client) -> None:
        client.meta.events.register("before-parameter-build.dynamodb", self._remember)
        client.meta.events.register("after-call.dynamodb", self._record)

    def _remember(self, params, model, **_) -> None:
        self._params[model.name] = params

    def _record(self, model, parsed, **_) -> None:
        params = self._params.pop(model.name, {})
        error = (parsed.get("Error") or {}).get("Code")
        if error == "TransactionCanceledException" and parsed.get("CancellationReasons"):
            self.lines.append(_refused_line(params, parsed["CancellationReasons"]))
        elif error:
            self.lines.append(f"{model.name} failed: {error}")
        elif model.name == "PutItem":
            self.lines.append(_put_line(params))
        elif model.name == "UpdateItem":
            self.lines.append(_update_line(params))
        elif model.name == "TransactWriteItems":  # a guarded write: the tombstone check is not shown
            for action in params["TransactItems"]:
                if "Put" in action:
                    self.lines.append(_put_line(action["Put"]))
                elif "Update" in action:
                    self.lines.append(_update_line(action["Update"]))
        elif model.name == "Query":
            self.lines.append(f"Query -> {len(parsed.get('Items', []))} items")
        elif model.name == "BatchWriteItem":
            count = sum(len(v) for v in params["RequestItems"].values())
            self.lines.append(f"BatchWriteItem: delete {count} items")
        else:
            self.lines.append(model.name)

    def take(self) -> list[str]:
        lines, self.lines = self.lines, []
        return lines


def _refused_line(params: dict, reasons: list) -> str:
    """A guarded write whose condition said no (no consent to keep a log yet, a deletion under way,
    the episode already written): which item's condition, and that nothing was written."""
    refused = []
    for action, reason in zip(params.get("TransactItems", []), reasons, strict=False):
        if reason.get("Code") not in (None, "None"):
            op = next(iter(action.values()))
            key = op.get("Key") or op.get("Item") or {}
            refused.append(f"{key.get('sk', {}).get('S', '?')} ({reason['Code']})")
    return f"TransactWriteItems refused by its condition on {', '.join(refused) or '?'}: nothing written"


def _put_line(params: dict) -> str:
    from cramp_helper.storage import decode_item

    item = decode_item(params["Item"])
    shown = {k: item[k] for k in ("sk", "muscle", "side", "outcome", "techniques", "routine",
                                  "completed", "voice") if k in item}
    return f"PutItem {json.dumps(shown)}"


def _update_line(params: dict) -> str:
    from cramp_helper.storage import decode_item

    names = params.get("ExpressionAttributeNames") or {}
    values = decode_item(params.get("ExpressionAttributeValues") or {})
    changed = {names.get(f"#f{key[2:]}", key): value for key, value in values.items()
               if re.fullmatch(r":v\d+", key)}
    for name in ("expires_at", "schema_version"):
        changed.pop(name, None)
    expression = params.get("UpdateExpression", "")
    removed = [names.get(n, n) for n in re.findall(r"#\w+", expression.partition("REMOVE")[2])]
    return (f"UpdateItem {params['Key']['sk']['S']} {json.dumps(changed)}"
            + (f" remove {', '.join(removed)}" if removed else ""))


class Console:
    def __init__(self, handler, clock: Clock, out=sys.stdout, speak: bool = False,
                 table_log: TableLog | None = None, show_logs: bool = False, drain=None,
                 locale: str = DEFAULT_LOCALE):
        self.handler = handler
        self.drain = drain  # delivers queued writes to the drain function after each turn
        self.show_logs = show_logs
        self.clock = clock
        self.out = out
        self.speak = speak
        self.table_log = table_log or TableLog()
        self.locale = locale
        self.model_locale = model_locale(locale)
        self.resolver = Resolver.from_locale(self.model_locale, MODELS_DIR.parent)
        self.session = LocalSession(locale, clock=clock)
        self.voice = espeak_voice(speech_locale(locale)) if speak else None
        self.turn = 0
        self.problems: list[str] = []
        self.elicit: Elicitation | None = None  # the last response's Dialog.ElicitSlot, if any
        self.shown: dict = {}  # the last response that showed a screen (it stays on show)

    def say(self, line: str) -> bool:
        """One line typed or scripted. False when the console should stop."""
        line = line.strip()
        if not line or line.startswith("#"):
            if line.startswith("#"):
                self._print(f"\n{line}")
            return True
        if line.startswith(":"):
            return self._command(line[1:].strip())
        elicit = self.elicit if self.session.is_open else None
        resolution = self.resolver.resolve(line, elicit=elicit)
        self._print(f"\nyou    > {line}")
        slots = ", ".join(f"{k}={v.id or '?' + v.words}" for k, v in resolution.slots.items())
        label = resolution.intent if resolution.kind == "intent" else resolution.kind
        self._print(f"         [{label}{' ' + slots if slots else ''}]")
        request = self.session.request_for(resolution)
        if elicit is not None and not resolution.new_session:
            elicit.apply(request)
        self._send(request)
        return True

    def _command(self, command: str) -> bool:
        name, _, rest = command.partition(" ")
        if name in ("quit", "q", "exit"):
            return False
        if name == "at":
            self.clock.set(rest)
            local = self.clock().astimezone(self.clock.zone)
            self._print(f"\n[clock] {local:%A %d %B %Y, %H:%M} ({self.clock.zone.key})")
        elif name == "wait":
            self.clock.advance(float(rest or 60))
        elif name == "silence":
            if self.session.is_open:
                self._print("\nyou    > (silence)")
                self._send(self.session.session_ended_request("EXCEEDED_MAX_REPROMPTS"))
        elif name == "new":
            if self.session.is_open:
                self._send(self.session.session_ended_request("USER_INITIATED"))
            self.session.restart()
        elif name == "touch":
            self._touch(rest)
        else:
            self._print(f"[console] unknown command :{name}")
        return True

    def _touch(self, button: str) -> None:
        """A tap on a button of the screen on show: the UserEvent Alexa sends for it."""
        from tools.conversation_files import USER_EVENT, buttons_of, screen_of

        buttons = buttons_of(self.shown)
        pressed = [b for b in buttons if button.strip().lower() in (b["label"].lower(), b["argument"])]
        if not pressed:
            labels = ", ".join(b["label"] for b in buttons) or "none (is --screen on?)"
            self._print(f"[console] no button {button!r} on the screen; its buttons: {labels}")
            return
        self._print(f"\nyou    > (taps {pressed[0]['label']!r})")
        self._send(self.session.envelope_for({
            "type": USER_EVENT, "token": (screen_of(self.shown) or {}).get("token", ""),
            "arguments": [pressed[0]["argument"]], "source": {"type": "TouchWrapper", "handler": "Press"}}))

    def _send(self, request: dict) -> dict:
        logs = io.StringIO()
        with contextlib.redirect_stderr(logs):  # the skill's JSON logs, shown only with --logs
            response = self.handler(request, None)
        self.session.receive(request, response)
        self.elicit = Elicitation.from_response(response)
        if any(d.get("type") == "Alexa.Presentation.APL.RenderDocument"
               for d in (response.get("response") or {}).get("directives") or []):
            self.shown = response
        self.turn += 1
        problems = check_response(response)
        body = response.get("response") or {}
        speech = (body.get("outputSpeech") or {}).get("ssml")
        if speech:
            self._print(f"alexa  > {readable(speech)}")
            self.clock.advance(_duration(speech))
        for directive in body.get("directives") or []:
            if directive.get("type") == "Alexa.Presentation.APL.RenderDocument":
                from cramp_helper.apl import summary

                self._print(f"screen > {summary(directive)}")
        card = body.get("card")
        if card:
            text = str(card.get("content") or card.get("text") or "").replace("\n", "\n           ")
            self._print(f"card   > {card.get('title')}\n           {text}")
        if request["request"]["type"] != "SessionEndedRequest":
            mic = "open" if body.get("shouldEndSession") is False else "closed (session ended)"
            self._print(f"mic    > {mic}")
        if self.drain is not None:
            drained = self.drain()
            if drained["messages"]:
                self._print(f"queue  > {drained['messages']} message(s) from the write queue applied by "
                            f"the drain ({drained['failed']} to try again)")
        for line in self.table_log.take():
            self._print(f"table  > {line}")
        if self.show_logs:
            for line in logs.getvalue().splitlines():
                self._print(f"log    > {line}")
        if speech and self.speak:
            self._render(speech)
        for problem in problems:
            self.problems.append(problem)
            self._print(f"!!     > INVALID RESPONSE: {problem}")
        return response

    def _render(self, ssml: str) -> None:
        path = SPEECH_DIR / f"turn-{self.turn:02d}.wav"
        seconds = render_wav(ssml, path, voice=self.voice)
        self._print(f"audio  > {path.relative_to(ROOT)} ({seconds:.1f} s)")

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _duration(ssml: str) -> float:
    """About how long Alexa takes to say this: words at a calm pace plus every break."""
    from testkit.ssml import hold_seconds, spoken_text

    return hold_seconds(ssml) + len(spoken_text(ssml).split()) / WORDS_PER_SECOND


ESPEAK_MISSING = ("--speak needs espeak-ng, which is not installed. "
                  "Install it with: sudo apt-get install espeak-ng")


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def installed_voices() -> set[str]:
    """The voice names `espeak-ng --voices` lists (its second column), lower case."""
    listing = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, check=True)
    return {line.split()[1].lower() for line in listing.stdout.splitlines()[1:] if len(line.split()) > 1}


def espeak_voice(locale: str, installed: set[str] | None = None) -> str:
    """The espeak-ng voice for a locale's speech: the first of ESPEAK_VOICES installed, else its
    language ("de")."""
    installed = installed_voices() if installed is None else installed
    for voice in ESPEAK_VOICES.get(locale, ()):
        if voice in installed:
            return voice
    return locale.split("-")[0].lower()


def model_locale(locale: str) -> str:
    """The interaction model the console resolves words with: the locale's own, else the first of
    its content fallbacks that has one (en-GB without a model of its own uses en-US's)."""
    from cramp_helper import content

    for name in (locale, *content.facts(locale)["fallback"], content.DEFAULT_LOCALE):
        if (MODELS_DIR / f"{name}.json").exists():
            return name
    raise SystemExit(f"no interaction model for {locale} or its fallbacks")


def speech_locale(locale: str) -> str:
    """The language the skill answers a locale in (its content's; see content.Content)."""
    from cramp_helper import content

    return content.load(locale).speech_locale


_BREAK_RUN = re.compile(r'(?:<break time="[^"]+"\s*/>\s*){2,}')


def join_adjacent_breaks(ssml: str) -> str:
    """Adjacent breaks as one break of their sum. Alexa plays adjacent breaks one after the other
    (that is how a hold longer than 10 s is written); espeak-ng plays only the longest of a run,
    so for espeak they are joined first (espeak accepts breaks over 10 s)."""
    from tools.alexa_rules import break_ms

    def joined(match) -> str:
        total = sum(break_ms(t) or 0 for t in re.findall(r'time="([^"]+)"', match.group(0)))
        return f'<break time="{round(total)}ms"/> '

    return _BREAK_RUN.sub(joined, ssml)


def render_wav(ssml: str, path: Path, voice: str | None = None) -> float:
    """Render SSML with espeak-ng (breaks honoured; Alexa-only tags dropped); seconds of audio."""
    path.parent.mkdir(parents=True, exist_ok=True)
    plain = join_adjacent_breaks(re.sub(r"</?(amazon:[a-z]+|prosody|say-as|emphasis)[^>]*>", "", ssml))
    command = ["espeak-ng", "-m", "-s", "150", *(["-v", voice] if voice else []), "-w", str(path), plain]
    subprocess.run(command, check=True, capture_output=True)
    with wave.open(str(path)) as audio:
        return audio.getnframes() / audio.getframerate()


def build_handler(zone: ZoneInfo, clock: Clock, table_log: TableLog, use_table: bool):
    """The shipped handler, with the console's clock and a stand-in for Alexa's settings API;
    and, with a table, the drain run over the local write queue (None without)."""
    from cramp_helper.services import Services
    from cramp_helper.skill import make_handler

    services = Services(now=clock)
    drain = None
    if use_table:
        table_log.attach(services.repository.connection())
        drain = _local_drain(services.repository)
    # The console verifies the skill id like the deployed skill does, against the id its own
    # envelopes carry (testkit.envelopes.SKILL_ID); SKILL_ID in the environment is not consulted.
    handler = make_handler(services, api_client=RecordingApiClient(time_zone_route(zone.key)),
                           skill_id=SKILL_ID)
    return handler, drain


def _local_drain(repository):
    """The write queue on the local server, delivered to the drain as Lambda would."""
    import boto3

    from tools.local_dynamodb import REGION, drain_queue

    sqs = boto3.client("sqs", endpoint_url=os.environ["SQS_ENDPOINT_URL"], region_name=REGION)
    return lambda: drain_queue(sqs, os.environ["CRAMP_QUEUE_URL"], repository=repository)


def main(argv: list[str] | None = None, stdin=None, out=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--script", type=Path, help="play a conversation from a file")
    parser.add_argument("--demo", action="store_true", help="play the built-in demo night")
    parser.add_argument("--speak", action="store_true", help="render each answer to WAV (espeak-ng)")
    parser.add_argument("--fresh", action="store_true", help="forget the stored history first")
    parser.add_argument("--no-table", action="store_true", help="run without any table")
    parser.add_argument("--locale", default=DEFAULT_LOCALE, choices=sorted(LOCALE_ZONES),
                        help=f"the device's locale ({DEFAULT_LOCALE}): its model, content and number")
    parser.add_argument("--tz", default=None,
                        help=f"the device's time zone (default: the locale's, {DEFAULT_ZONE} for en-US)")
    parser.add_argument("--data", type=Path, default=None, help="where history is kept between runs")
    parser.add_argument("--logs", action="store_true", help="show the skill's JSON log lines")
    parser.add_argument("--screen", action="store_true",
                        help="be an Echo Show: answers carry the night screen (one line of it is printed)")
    parser.add_argument("--log-mode", choices=("ask", "on", "off"), default=None,
                        help="EPISODE_LOG: ask for consent before logging cramps (default, or "
                             "EPISODE_LOG from the environment), always log (on), or never (off)")
    args = parser.parse_args(argv)
    if args.log_mode:
        os.environ["EPISODE_LOG"] = args.log_mode
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    if args.speak and not espeak_available():
        print(ESPEAK_MISSING, file=out)
        return 2
    zone = ZoneInfo(args.tz or LOCALE_ZONES[args.locale])
    clock = Clock(zone)
    interactive = not args.script and not args.demo and stdin.isatty()
    words_from = model_locale(args.locale)
    if not args.script and not interactive and not words_from.startswith("en-"):
        print(f"[console] the built-in demo night is in English; for {args.locale} give --script FILE "
              "with lines in its language, or type at a terminal.", file=out)
        return 2
    if args.script:
        lines = args.script.read_text(encoding="utf-8").splitlines()
    elif interactive:
        lines = None
    else:
        lines = demo_night()
        print("[console] stdin is not a terminal: playing the built-in demo night.", file=out)

    from tools.local_dynamodb import DATA_FILE

    table_log = TableLog()
    data_file = args.data or DATA_FILE
    with _maybe_table(not args.no_table, args.fresh, data_file) as endpoint:
        if endpoint:
            print(f"[console] episode table and write queue on a local endpoint, {endpoint}; history "
                  f"kept in {_shown(data_file)}, its pseudonym secret in "
                  f"{_shown(data_file.with_suffix('.key'))} (--fresh to start over)", file=out)
        handler, drain = build_handler(zone, clock, table_log, endpoint is not None)
        console = Console(handler, clock, out, speak=args.speak, table_log=table_log, show_logs=args.logs,
                          drain=drain, locale=args.locale)
        console.session.screen = args.screen
        borrowed = "" if console.model_locale == args.locale else (
            f"; no model of its own yet, so words are resolved with {console.model_locale}'s")
        print(f"[console] locale {args.locale} (time zone {zone.key}){borrowed}", file=out)
        from cramp_helper.config import episode_log_mode

        print(f"[console] episode log: {episode_log_mode()} (--log-mode ask|on|off)", file=out)
        if console.voice:
            print(f"[console] --speak: espeak-ng voice {console.voice}", file=out)
        print(f"[console] skill id verified on every request: {SKILL_ID} (the id the console's "
              "envelopes carry)", file=out)
        if lines is None:
            print("[console] Say something, e.g. 'tell leg cramp helper my left calf is cramping'. "
                  ":quit to leave.", file=out)
            _interactive(console)
        else:
            for line in lines:
                if not console.say(line):
                    break
            if console.session.is_open:
                console.say(":silence")
    if console.problems:
        print(f"[console] {len(console.problems)} invalid responses", file=out)
        return 1
    return 0


def _interactive(console: Console) -> None:
    while True:
        try:
            line = input("you    > ")
        except EOFError:
            break
        sys.stdout.write("\x1b[1A\x1b[2K")  # the console prints the line itself
        if not console.say(line):
            break


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


class _maybe_table:
    def __init__(self, enabled: bool, fresh: bool, data_file: Path):
        self.enabled, self.fresh, self.data_file, self._context = enabled, fresh, data_file, None

    def __enter__(self):
        if not self.enabled:
            os.environ.pop("CRAMP_TABLE_NAME", None)
            return None
        from tools.local_dynamodb import local_table

        self._context = local_table(fresh=self.fresh, data_file=self.data_file)
        endpoint, _ = self._context.__enter__()
        return endpoint

    def __exit__(self, *exc):
        if self._context is not None:
            return self._context.__exit__(*exc)
        return False


if __name__ == "__main__":
    sys.exit(main())
