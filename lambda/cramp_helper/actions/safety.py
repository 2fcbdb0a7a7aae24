"""Safety at every turn: red flags, the clarifying question, a cramp past ten minutes, distress
and medicine questions. triage.py decides (pure); this module says it and keeps the books.

A red flag never gets a stretch: it ends the routine, is logged RED_FLAG, and is said in the plain
(never soft or whispered) voice with a card. Words Alexa could not resolve never trigger the
emergency line: they get one clarifying question, then the person goes back to where they was.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from .. import episodes, triage
from ..dialogue import Question
from ..guide import Move
from ..reply import Reply
from ..slots import MATCH, NO_MATCH, status_and_id, words_of
from ..speech import Say, Speech
from . import on_screen
from .common import ask, in_relief, is_prevention, question_words, reask, routine_checkin, say
from .relief import begin, move, start

if TYPE_CHECKING:
    from ..context import Context


def _during(ctx: Context) -> str:
    return "bedtime" if is_prevention(ctx) else "relief" if in_relief(ctx) else "idle"


def _say(ctx: Context, t: triage.Triage) -> Reply:
    """Say a triage: its line, then its question (recorded), or the end with a card."""
    content = ctx.content
    spoken = _spoken(ctx, t)
    line = spoken.text if spoken else None
    speech = Speech(None) if t.urgency >= triage.Urgency.SOON else say(ctx)
    if spoken:
        speech.say(spoken)
    card = (triage.text(content, t.card), line) if t.card and line else None
    if t.logs_red_flag:
        if is_prevention(ctx):
            episodes.end_prevention(ctx, completed=False)
        ctx.state.clear_routine()
        episodes.end(ctx, episodes.RED_FLAG)
    if t.ends_session:
        screen = None
        if line:
            screen = (on_screen.red_flag(ctx, line) if t.urgency >= triage.Urgency.EMERGENCY_DEPARTMENT
                      else on_screen.same_day(ctx, line))
        return Reply(speech, end=True, card=card, screen=screen)
    if t.seated:
        ctx.state.seated = True  # dizzy: no standing step for the rest of the session
    if t.asks_clarify:
        ctx.state.symptoms = list(t.symptoms)
        _remember_the_place(ctx)
        asks = Question.CLARIFY
    else:  # after a long cramp's advice: gentle ways to ease it; under ten minutes: try another way
        asks = Question.CARE_OFFER if t.urgency >= triage.Urgency.SAME_DAY else Question.TRY_ELSE
    return Reply(speech, question=triage.text(content, t.question),
                 reprompt=triage.text(content, t.reprompt or t.question), asks=asks, card=card)


def _spoken(ctx: Context, t: triage.Triage):
    """The triage's line as speech (its numbers in their spoken forms); a same-day line that does
    not name the country's after-hours line gets it added (care_lines.after_hours)."""
    if not t.line:
        return None
    content = ctx.content
    spoken = triage.speak(content, t.line)
    after_hours = getattr(content, "after_hours", None)
    if (t.urgency == triage.Urgency.SAME_DAY and after_hours and after_hours not in spoken.text
            and "care_lines" in content.data):
        more = triage.speak(content, "care_lines.after_hours")
        spoken = Say(f"{spoken.text} {more.text}",
                            (*(spoken.spoken or (spoken.text,)), " ", *(more.spoken or (more.text,))))
    return spoken


def sign_readings(ctx: Context) -> list:
    """What triage.assess reads: the Symptom and OtherSymptom slots, plus every sign id the
    interpreter heard in the words (ctx.heard: "something is pressing on my chest" carried as an
    unresolved Muscle is CHEST_PAIN), each as a resolved reading. Pregnancy heard in words is its
    sign too (alone, triage asks; with a leg sign, same day)."""
    readings = [ctx.slot("Symptom"), ctx.slot("OtherSymptom")]
    heard = ctx.heard
    if heard is not None and heard.by_words:
        ids = [value for name, value in heard.slots if name == "Sign"]
        if heard.meaning == "SIGN" and ids:  # the words told what a resolved colour was said of:
            # "my pee is really dark" is the urine's colour (DARK_URINE), no darker leg (DISCOLOURED)
            readings = [r for r in readings if not _read_otherwise(r, ids)]
        if heard.meaning == "PREGNANT":
            ids.append("PREGNANT")
        readings += [(MATCH, sign) for sign in ids]
    return readings


def _read_otherwise(reading, ids) -> bool:
    """A resolved slot reading whose sign the interpreter, reading every word, did not hear: it
    read the words around it another way (the urine's colour, an arm's weakness)."""
    status, value = status_and_id(reading)
    return status == MATCH and value is not None and triage.ALIASES.get(value, value) not in ids


def _said(readings) -> set[str]:
    """The sign ids of the readings that resolved."""
    return {value for status, value in map(status_and_id, readings) if status == MATCH and value}


def red_flag(ctx: Context, *, emergency: bool = False) -> Reply:
    """A red flag (or, ``emergency``, an emergency said), wherever it is said: the most urgent of
    what was said."""
    readings = sign_readings(ctx)
    if not emergency and _said(readings) == {"WONT_STOP"} and ctx.state.position is None:
        # "it won't stop" in any words, before any guidance: how long, once (the ten minutes run
        # from when it began); during the steps it is a cramp not easing despite stretching
        return long_cramp(ctx)
    if ctx.state.question is Question.CLARIFY and ctx.state.symptoms:
        # a sign named in answer to a sign's question ("cold and pale" asked about numbness, "it's
        # numb") is assessed together with the signs that raised the question
        readings += [(MATCH, sign) for sign in ctx.state.symptoms]
    t = triage.assess(readings, emergency_intent=emergency, during=_during(ctx))
    if t.question == "ten_minutes.offer":
        _escalated(ctx)
    return _say(ctx, t)


def clarified(ctx: Context) -> Reply:
    """ "Yes" to "is your leg swollen, red or warm?": assessed again with the leg sign."""
    return _say(ctx, triage.after_clarify(ctx.state.symptoms, True, during=_during(ctx)))


def _remember_the_place(ctx: Context) -> None:
    """Before any routine, the person's own muscle and side named with the signs ("my left calf
    has gone rock hard"), so that "just the cramp" starts there instead of asking where."""
    if ctx.state.position is not None or ctx.named("Who").id:
        return
    muscle, side = ctx.named("Muscle"), ctx.named("Side")
    if muscle.status == MATCH and ctx.content.knows_muscle(muscle.id):
        ctx.state.named = muscle.id
        if side.status == MATCH and side.id in ctx.content.side_ids():
            ctx.state.side = side.id


def carry_on(ctx: Context) -> Reply:
    """ "No, it's just the cramp": back to where the person was (the routine of a muscle named with
    the signs, before any routine; else where the cramp is)."""
    during = _during(ctx)
    back = triage.text(ctx.content, triage.after_clarify(ctx.state.symptoms, False, during=during).line)
    pregnant = "PREGNANT" in ctx.state.symptoms  # pregnant, no leg sign: the pregnancy tips first
    tips = [triage.text(ctx.content, "safety_steps.pregnancy")] if pregnant else []
    ctx.state.symptoms = []
    if during == "relief":
        short = triage.text(ctx.content, "red_flags.clarify_back_idle")  # the turn says "carry on"
        return move(ctx, Move.RESUME, lead=[*tips, short])
    if during == "bedtime":
        return ask(ctx, say(ctx, *tips, back), routine_checkin(ctx))
    if ctx.state.named:
        muscle, ctx.state.named = ctx.state.named, None
        return begin(ctx, muscle, ctx.state.side, lead=[*tips, back])
    return ask(ctx, say(ctx, *tips, back), Question.WHERE)  # which muscle, before any guidance or log


def ask_topic(ctx: Context) -> Reply:
    """Words nobody knows, with no leg named ("I have a headache", "que me pida un taxi"): one
    neutral question, the leg cramp or a different problem? Never the clot question, never the number."""
    return ask(ctx, say(ctx, triage.text(ctx.content, "red_flags.topic_lead")), Question.TOPIC)


def leg_words(ctx: Context) -> Reply:
    """ "Yes, the cramp" to the neutral question: the words were about the leg, so the clot
    question follows, as it does for any words about the leg Alexa could not resolve."""
    return _say(ctx, triage.assess([(NO_MATCH, None)], during=_during(ctx)))


def something_else(ctx: Context) -> Reply:
    """ "No, a different problem": what this skill helps with and when to get care (the country's
    number, never a diagnosis), then back to the cramp or the stretches under way; with nothing
    under way, the session closes."""
    speech = say(ctx)
    speech.say(triage.speak(ctx.content, "red_flags.topic_other"))  # the number in its spoken form
    during = _during(ctx)
    if during == "relief":
        return ask(ctx, speech, Question.PAUSED)  # the place is kept: "I'm ready" carries on
    if during == "bedtime":
        return ask(ctx, speech, routine_checkin(ctx))
    return Reply(speech, end=True)


def _escalated(ctx: Context) -> None:
    if ctx.state.episode is not None:
        ctx.state.episode["escalated"] = True


def long_cramp(ctx: Context) -> Reply:
    """ "It won't go away", "it's been twenty minutes": the same-day care advice leads when it has
    been ten minutes (or how long is unknown); gentle guidance only if asked. With no duration
    and nothing guided yet, asked once how long; under ten minutes, the cramp is guided at once."""
    started = ctx.state.episode and episodes.parse_iso(ctx.state.episode["started_at"])
    from ..interpreter import duration_minutes  # the interpreter is loaded by any slot's words anyway

    value = (ctx.slot_value("Minutes") or (ctx.heard.slot("Minutes") if ctx.heard is not None else None)
             or duration_minutes(ctx.slot_value("Duration")))  # "half an hour" as AMAZON.DURATION
    minutes = int(value) if value and value.isdigit() else None
    if ctx.state.began_at:  # said earlier in the session: the ten minutes run from then
        said = episodes.parse_iso(ctx.state.began_at)
        started = min(started, said) if started else said
    if not minutes and not started and not ctx.state.asked_how_long:
        # "it won't stop" at the start, with no duration: ask once how long (issue 18)
        ctx.state.asked_how_long = True
        words, reprompt, elicit = question_words(ctx, Question.HOW_LONG)
        said = {"Muscle": words_of(ctx.raw_intent, "Muscle")}  # the muscle named comes back with the answer
        return Reply(say(ctx), question=words, reprompt=reprompt, asks=Question.HOW_LONG,
                     elicit=(*elicit, said))
    if minutes:  # "it started five minutes ago": the ten minutes run from then, not from launch
        began = ctx.request_time - timedelta(minutes=min(minutes, 24 * 60))
        ctx.state.began_at = began.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    t = triage.long_cramp(minutes, started or None, ctx.request_time)
    if t.urgency < triage.Urgency.SAME_DAY and ctx.state.position is None:
        return start(ctx)  # under ten minutes and nothing guided yet: guide as usual (issue 18)
    return _long(ctx, t)


def ten_minutes(ctx: Context) -> Reply:
    """Guidance asked for once the cramp has lasted ten minutes: the care advice leads."""
    return _long(ctx, triage.TEN_MINUTE_LEAD)


def long_after_close(ctx: Context) -> Reply:
    """Still cramping, over twenty minutes after the last session closed: how long is unknown."""
    return _long(ctx, triage.long_cramp(None, None, ctx.request_time))


def _long(ctx: Context, t: triage.Triage) -> Reply:
    if t.urgency >= triage.Urgency.SAME_DAY:
        _escalated(ctx)
    return _say(ctx, t)


def gentle(ctx: Context) -> Reply:
    """ "Yes" to the offer of gentle ways to ease a long cramp: a gentle stretch while the muscle is
    still locked, a warm towel for a few minutes (never a shower, never on a numb, swollen or red
    leg: safety_steps.gentle)."""
    content = ctx.content
    return Reply(say(ctx, triage.text(content, "safety_steps.gentle")),
                 question=triage.text(content, "ten_minutes.guidance_question"),
                 reprompt=content.phrase("check_in_reprompt"), asks=Question.CHECKIN)


def declined(ctx: Context) -> Reply:
    ctx.state.clear_routine()
    episodes.end(ctx, episodes.STILL_CRAMPING)
    return Reply(say(ctx, triage.text(ctx.content, "ten_minutes.declined")), end=True)


def distress_kind(ctx: Context) -> str | None:
    """What kind of distress was said: the interpreter's ``Kind`` (issue 17) when it heard one,
    else the DistressIntent's ``Kind`` slot (its resolved id), else None (the general line)."""
    kind = ctx.heard.slot("Kind") if ctx.heard is not None else None
    if kind:
        return kind
    reading = ctx.slot("Kind")
    return reading.id if reading.status == MATCH else None


def distress(ctx: Context) -> Reply:
    """ "Is this serious?", "am I dying?", "I'm going to pass out": by what was said. Fainting is
    an emergency (the session ends); dizziness: sit or lie down, no standing step for the rest of
    the session, then one question; every other kind its own calm line, then the clot question."""
    kind = distress_kind(ctx)
    t = triage.distress(kind)
    if kind == "CANT_MOVE":  # "I can't stand": from now on the lying or sitting versions
        ctx.state.seated = True
    if t.question == "ten_minutes.offer":
        _escalated(ctx)
    return _say(ctx, t)


def _medicine_id(ctx: Context) -> str | None:
    """The MedicineType id heard, read defensively (a slot reading without an id, a model without
    the newer values): None gives the general answer."""
    try:
        reading = ctx.slot("Medicine")
    except Exception:  # noqa: BLE001 - a malformed slot must not lose the answer
        return None
    medicine_id = getattr(reading, "id", None)
    return medicine_id if isinstance(medicine_id, str) and medicine_id else None


def _country(ctx: Context) -> str:
    """The country the device is in (its zone), else the locale's (countries.care_numbers)."""
    from ..countries import care_numbers

    return care_numbers(ctx.content.locale, ctx.state.tz).country


def medicine(ctx: Context) -> Reply:
    """The grounded medicine answer; never a drug to take. Mid-routine, back to the routine."""
    t = triage.medicine(_medicine_id(ctx), _country(ctx))
    speech = say(ctx, triage.speak(ctx.content, t.line))
    if ctx.state.position is not None:
        return reask(ctx, speech)
    return Reply(speech, question=triage.text(ctx.content, t.question),
                 reprompt=triage.text(ctx.content, t.reprompt), asks=Question.WHERE,
                 elicit=("CrampIntent", "Muscle"))
