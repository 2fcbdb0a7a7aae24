"""Guided relief: starting a routine, moving through it, waiting, and ending it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import episodes, guide, slots, triage
from ..dialogue import Question
from ..guide import Move, Turn
from ..lines import fill, text
from ..reply import Reply
from ..speech import Pause, Say
from ..state import OTHER_PEOPLE
from . import on_screen
from .common import ask, guarded, in_relief, is_prevention, night_now, reask, say, steps

if TYPE_CHECKING:
    from ..context import Context


def deliver(ctx: Context, turn: Turn, *, lead: list[str] = ()) -> Reply:
    """Speak a turn of the step machine and remember where we are."""
    content = ctx.content
    state = ctx.state
    if state.seated:  # dizzy or can't stand earlier this session: no standing step (issue 18)
        turn = guide.seated(steps(ctx), turn)
    guarded(ctx, turn)
    state.move_to(turn.position)
    if content.routine(turn.position.muscle).get("kind") == "prevention":
        from .bedtime import deliver_stretch  # the bedtime routine only

        return deliver_stretch(ctx, turn)
    if not turn.finished:
        technique = content.techniques(turn.position.muscle)[turn.position.technique]
        episodes.note_technique(ctx, technique)
    speech = say(ctx, *lead).add(turn.script)
    return Reply(speech, question=turn.question, reprompt=turn.reprompt,
                 asks=Question.AGAIN if turn.finished else Question.CHECKIN,
                 screen=on_screen.guidance(ctx, turn, speech))


def begin(ctx: Context, muscle: str, side: str | None, *, lead: list[str] = ()) -> Reply:
    ctx.state.unknown_tries = 0
    episodes.start(ctx, muscle, side)
    return deliver(ctx, guide.begin(steps(ctx), muscle, side), lead=lead)


def start(ctx: Context) -> Reply:
    """A cramp named ("my left calf", "the right one", "my hip"): start, switch, or redirect."""
    content = ctx.content
    state = ctx.state
    if for_a_child(ctx):
        return child(ctx)
    lead = _for_someone_else(ctx)
    muscle = ctx.named("Muscle")
    side = ctx.named("Side")
    side_id = side.id if side.status == slots.MATCH and side.id in content.side_ids() else None
    if muscle.status == slots.MATCH and content.knows_muscle(muscle.id):
        return begin(ctx, muscle.id, side_id, lead=lead)
    if muscle.status == slots.MATCH and muscle.id in content.section("other_parts"):
        return other_body_part(ctx, muscle.id)
    if muscle.status == slots.MISSING:
        if in_relief(ctx):  # "my left one" mid-routine: same muscle, new side
            return begin(ctx, state.muscle, side_id or state.side, lead=lead)
        return begin(ctx, "LEG", side_id, lead=lead)
    # words Alexa heard but this skill does not know: ask once, then say what it can do
    state.unknown_tries += 1
    state.side = side_id or state.side
    if state.unknown_tries == 1:
        return Reply(say(ctx), question=content.phrase("ask_unknown_muscle"),
                     reprompt=content.phrase("ask_muscle_reprompt"), asks=Question.WHERE,
                     elicit=("CrampIntent", "Muscle"))
    return other_body_part(ctx, None)


def for_a_child(ctx: Context) -> bool:
    """ "My son has leg cramps", "my daughter's legs hurt at night": the cramp is a child's (the
    ``Who`` slot, resolved by the model or read in the words by the interpreter, issue 17)."""
    return ctx.named("Who").id == "CHILD"


def _for_someone_else(ctx: Context) -> list[str]:
    """ "My wife's got a cramp in her calf": the speaker is the helper (issue 17). The steps are
    guided as usual, for them to pass on, and nothing about the cramp is logged in the speaker's
    history, for the rest of the session. Said once: the lead line, when the session learns it."""
    who = ctx.named("Who").id
    if who not in OTHER_PEOPLE:
        return []
    first = ctx.state.for_other is None
    ctx.state.for_other = who
    if not first:
        return []
    content = ctx.content
    return [content.section("heard")["helper"]]


def child(ctx: Context) -> Reply:
    """A child's leg pains (issue 18, part 9): usually growing pains, and when to see a doctor.
    Never the adult routine, and nothing is started, logged or kept in the adult's history."""
    content = ctx.content
    return Reply(say(ctx, text(content, "safety_steps.child"), text(content, "safety_steps.child_adults")),
                 end=True)


# A cramp or pain in an arm, a hand, the neck or the back, on its own, is asked about once: chest
# pain, trouble breathing, sweating, feeling sick or faint (CONTENT_FACTS, "More warning signs":
# only those make it an emergency). The sign each part stands for when the answer is yes.
REFERRED_PAIN = {"ARM": "ARM_PAIN", "HAND": "ARM_PAIN", "NECK": "NECK_JAW_PAIN", "BACK": "BACK_PAIN"}


def other_body_part(ctx: Context, part: str | None) -> Reply:
    """A cramp this skill does not guide (a hip, an arm...): say so, give the short general
    advice, and ask about the leg or foot. Nothing is started or logged. An arm, a hand, the neck
    or the back: say so, then ask about the heart's signs first (once a session)."""
    content = ctx.content
    entry = content.section("other_parts").get(part or "", {})
    where = entry.get("name")
    sign = REFERRED_PAIN.get(part or "")
    if sign and not ctx.state.asked_heart:
        ctx.state.asked_heart = True
        asked = triage.assess([(slots.MATCH, sign)])  # the sign's own question, as safety asks it
        ctx.state.symptoms = list(asked.symptoms)  # what "yes" is assessed with (safety.clarified)
        lead = entry.get("lead") or content.phrase("other_part").format(where=where)
        return Reply(say(ctx, lead, triage.text(content, asked.line)),
                     question=triage.text(content, asked.question),
                     reprompt=triage.text(content, asked.reprompt or asked.question), asks=Question.CLARIFY)
    if entry.get("question"):  # behind the knee: the calf or the hamstring? (issue 17)
        return Reply(say(ctx, entry.get("lead", "")), question=entry["question"], reprompt=entry["question"],
                     asks=Question.WHERE_AGAIN, elicit=("CrampIntent", "Muscle"))
    # a shin has its own words (issue 17): never the calf stretch, never "not your shin"
    lead = entry.get("lead") or (content.phrase("other_part").format(where=where) if where
                                 else content.phrase("other_part_unknown"))
    return ask(ctx, say(ctx, lead, content.phrase("other_part_advice")), Question.WHERE_AGAIN)


def still_cramping(ctx: Context) -> Reply:
    """Next technique; with no routine yet (or the bedtime stretches), start relief as for a cramp
    named: the body part said with it ("my foot just knotted up on me" is the foot), else the
    calf, and someone else's or a child's cramp as such."""
    if not in_relief(ctx):
        if is_prevention(ctx):
            episodes.end_prevention(ctx, completed=False)
            ctx.state.clear_routine()
        return start(ctx)
    return move(ctx, Move.NEXT)


def move(ctx: Context, how: Move, *, lead: list[str] = ()) -> Reply:
    """Navigate within a routine; with none in progress, ask where the cramp is."""
    state = ctx.state
    if state.position is None:
        return ask(ctx, say(ctx, ctx.content.phrase("no_routine")), Question.WHERE)
    if ctx.resumed:
        lead = [ctx.content.fill(ctx.content.phrase("welcome_back"), state.muscle, state.side), *lead]
    return deliver(ctx, guide.go(steps(ctx), state.position, how), lead=lead)


def try_next(ctx: Context) -> Reply:
    """ "Yes" to "shall we try something else?": the next technique, or relief for the leg when
    no routine is under way (the cramp was named long, before any guidance)."""
    if ctx.state.position is None:
        return still_cramping(ctx)
    return move(ctx, Move.NEXT)


def relieved(ctx: Context, *, lead: list[str] = ()) -> Reply:
    """ "It's gone": after-care fitted to the hour, a card, and the episode logged RELIEVED."""
    content = ctx.content
    had_cramp = ctx.state.position is not None or ctx.state.episode is not None
    ctx.state.clear_routine()
    episodes.end(ctx, episodes.RELIEVED)
    closing = content.phrase("closing_night" if night_now(ctx) else "closing_day")
    fluids = text(content, "safety_steps.fluids")  # "drink some water", unless told to limit fluids
    if not had_cramp:
        return Reply(say(ctx, *lead, content.phrase("relieved_no_routine"), fluids, closing), end=True)
    card = (content.phrase("card_title_aftercare"),
            fill(content, content.phrase("card_aftercare")) + "\n" + fluids)
    return Reply(say(ctx, *lead, content.phrase("relieved"), fluids, closing), end=True, card=card)


# --- issue 17 (heard) ---------------------------------------------------------------------------
def sore(ctx: Context) -> Reply:
    """ "It still hurts a bit but it's let go": the cramp is over; after-care, logged RELIEVED."""
    return relieved(ctx, lead=[ctx.content.section("heard")["sore"]])


SLOWER_BY = 0.8  # "slower, please": this much of the answer's own rate
BREATH_SECONDS = 1  # and a breath after each sentence (timed holds keep their length)


def slower(ctx: Context) -> Reply:
    """ "Slow down", "say that slower": the step again (or the last question), more slowly."""
    ctx.voice = _slowed(ctx.voice)
    if ctx.state.position is None:
        return reask(ctx, say(ctx))
    turn = guide.go(steps(ctx), ctx.state.position, Move.REPEAT)
    return deliver(ctx, turn._replace(script=_with_breaths(turn.script)))


def first_part(ctx: Context) -> Reply:
    """ "What was the first part?", "the first bit again": this technique from its first part."""
    position = ctx.state.position
    if position is None:
        return nothing_to_move(ctx)
    return deliver(ctx, guide.go(steps(ctx), position._replace(part=0), Move.REPEAT))


def _slowed(voice: dict | None) -> dict:
    """The voice at SLOWER_BY of its rate (a percentage; Alexa's floor is 20%)."""
    voice = dict(voice or {})
    rate = str(voice.get("rate") or "100%")
    percent = int(rate[:-1]) if rate.endswith("%") and rate[:-1].isdigit() else 100
    voice["rate"] = f"{max(20, round(percent * SLOWER_BY))}%"
    return voice


def _with_breaths(script: list) -> list:
    out = []
    for item in script:
        out.append(item)
        if isinstance(item, Say):
            out.append(Pause(BREATH_SECONDS))
    return out


def finished(ctx: Context) -> Reply:
    """Everything tried and the person wants to stop: care advice, logged STILL_CRAMPING."""
    ctx.state.clear_routine()
    episodes.end(ctx, episodes.STILL_CRAMPING)
    return Reply(say(ctx, ctx.content.phrase("finished_goodbye")), end=True)


def wait(ctx: Context) -> Reply:
    """ "Wait", "hold on", "not yet": keep the place, say how to come back. With no routine under
    way, the question it interrupted is asked again ("is your leg swollen, red or warm?" stays
    pending); with none, where the cramp is."""
    content = ctx.content
    if ctx.state.position is None:
        return reask(ctx, say(ctx, content.phrase("wait_idle")))
    return ask(ctx, say(ctx, content.phrase("paused")), Question.PAUSED)


def goodbye(ctx: Context) -> Reply:
    """Stop or cancel: end at once. A cramp in progress keeps its place (episodes.close_session)."""
    content = ctx.content
    if in_relief(ctx):
        return Reply(say(ctx, content.phrase("goodbye_mid_cramp")), end=True)
    closing = content.phrase("closing_night" if night_now(ctx) else "closing_day")
    return Reply(say(ctx, content.phrase("goodbye"), closing), end=True)


def polite_end(ctx: Context, key: str) -> Reply:
    """ "Thank you", "I'm okay", "no": close kindly (each with its own ``key`` phrase), without
    cramp after-care."""
    content = ctx.content
    closing = content.phrase("closing_night" if night_now(ctx) else "closing_day")
    return Reply(say(ctx, content.phrase(key), closing), end=True)


def ask_where(ctx: Context) -> Reply:
    return ask(ctx, say(ctx), Question.WHERE)


def reask_here(ctx: Context) -> Reply:
    return reask(ctx, say(ctx))


def nothing_to_move(ctx: Context) -> Reply:
    """ "Next", "repeat", "start over"... with nothing asked or "where?" asked: with no routine
    under way, say so; then the last question again."""
    lead = [ctx.content.phrase("no_routine")] if ctx.state.position is None else []
    return reask(ctx, say(ctx, *lead))
