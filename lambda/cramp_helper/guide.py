"""The relief step machine: (position, move) -> (new position, what to say). Pure.

No Alexa or AWS types live here, so every path through every routine is tested in microseconds.
A position is a muscle, a side, the index of the technique being delivered and, for both legs,
which part of it. One technique (or one part of it) is delivered per turn, with all of its timed
holds, and ends with a check-in question.

How a step in the content is spoken (fields of ``techniques.<id>.steps[]``):
- ``safety``: said first, before anything else in the step (massage: "don't massage a leg that's
  swollen..."), and again at the start of any answer that opens on the step's second leg.
- ``say``: the instruction. Then, if ``settle`` is set, that many seconds of silence so the person
  can get there (stand up, sit, find a towel), and the ``settled`` cue ("Now hold.") that starts
  the hold. A hold never starts counting while someone is still getting up.
- ``hold``: seconds of timed silence with sparse cues, ended by ``release``. A step that cannot fit
  in a countdown (a warm shower) has no hold.
- ``repeat`` / ``rest``: rounds of the hold, ``rest`` seconds apart, each after "Again."
- ``per_leg``: for both legs, the step is done left then right; the second leg hears
  ``say_second`` (shorter, so no sentence is said twice) and settles ``settle_second`` seconds.

Both legs within a minute: a both-legs answer is kept under ``BOTH_LIMIT_SECONDS`` of speech plus
silence. A technique whose both-legs script is longer is cut, at step or leg boundaries, into
parts; each part is its own answer ending with the usual check-in, and NEXT goes to the next part
before the next technique.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from .content import Content
from .speech import WORDS_PER_SECOND, Hold, Item, Pause, Say, estimate_seconds

SIDES = ("LEFT", "RIGHT")
BOTH_LIMIT_SECONDS = 60.0  # a both-legs answer, speech plus silence, stays under this
LEAD_WORDS_MAX = 12  # words allowed before the first instruction; budgeted for every part


class Move(Enum):
    NEXT = "next"  # also "still cramping" and "no, it hasn't eased"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    START_OVER = "start_over"
    RESUME = "resume"


class Position(NamedTuple):  # NamedTuples, not frozen dataclasses: see speech.Say
    muscle: str
    side: str | None
    technique: int = 0
    part: int = 0  # which part of the technique, when a both-legs script is split (else 0)


class Turn(NamedTuple):
    """What one move produced. ``finished`` means the routine ran out of techniques.

    ``words_before_instruction`` counts the words spoken before the first instruction (the
    opening or the lead); the first step's words are the instruction."""

    position: Position
    script: list[Item]
    question: str
    reprompt: str
    finished: bool = False
    words_before_instruction: int = 0


def begin(content: Content, muscle: str, side: str | None, *, after_unknown: bool = False) -> Turn:
    """Start a routine. The first sentence already starts the guidance: no welcome.

    ``after_unknown``: the muscle was not understood and ``muscle`` is the guess (the calf)."""
    position = Position(muscle, side, 0, 0)
    routine = content.routine(muscle)
    if routine.get("kind") == "prevention":
        return _deliver(content, position, [Say(routine["intro"])])
    guessed = content.is_unspecific(muscle) or after_unknown
    if content.is_unspecific(muscle):
        opening = content.phrase("start_unspecific")
    elif after_unknown:
        opening = content.phrase("start_after_unknown")
    else:
        opening = content.phrase("start_known")
    lead: list[Item] = [Say(content.fill(opening, muscle, side))]
    if routine.get("intro"):
        lead.append(Say(routine["intro"]))
    # The muscle was guessed: say how to correct it after the first instruction, not before.
    tail = [Say(content.phrase("start_elsewhere"))] if guessed else []
    return _deliver(content, position, lead, tail)


def go(content: Content, position: Position, move: Move) -> Turn:
    """Apply a navigation move to a routine in progress."""
    last = len(content.techniques(position.muscle)) - 1
    index = min(max(position.technique, 0), last)
    parts = part_count(content, position._replace(technique=index, part=0))
    here = position._replace(technique=index, part=min(max(position.part, 0), parts - 1))
    if move is Move.NEXT:
        if here.part + 1 < parts:  # the rest of this technique first (the other leg, round two)
            return _deliver(content, here._replace(part=here.part + 1), [])
        if index >= last:
            return Turn(
                position=here,
                script=[Say(content.phrase("routine_finished"))],
                question=content.phrase("again_question"),
                reprompt=content.phrase("again_reprompt"),
                finished=True,
            )
        lead = content.routine(position.muscle).get("next_lead") or _next_lead(content, index + 1)
        return _deliver(content, here._replace(technique=index + 1, part=0), [Say(lead)])
    if move is Move.PREVIOUS:
        if here.part > 0:
            return _deliver(content, here._replace(part=here.part - 1), [])
        if index == 0:
            return _deliver(content, here, [Say(content.phrase("first_technique_already"))])
        return _deliver(content, here._replace(technique=index - 1, part=0), [])
    if move is Move.START_OVER:
        return _deliver(content, here._replace(technique=0, part=0), [Say(content.phrase("start_over"))])
    if move is Move.RESUME:
        return _deliver(content, here, [Say(content.phrase("resume"))])
    return _deliver(content, here, [Say(content.phrase("repeat"))])


def seated(content: Content, turn: Turn) -> Turn:
    """The turn for someone who must stay sitting or lying down (dizzy, or can't stand: issue 18):
    ``content`` is the session's view (Content.for_steps), so a standing technique with a lying or
    sitting version is already that version; one without (a few slow steps) is skipped for the next
    one that is not, with a word that it was; none left: the routine is finished."""
    if turn.finished:
        return turn
    standing = {name for name in content.standing() if not content.has_sitting(name)}
    names = content.techniques(turn.position.muscle)
    if names[turn.position.technique] not in standing:
        return turn
    note = Say(content.fill(content.data["safety_steps"]["seated"], turn.position.muscle, turn.position.side))
    for index in range(turn.position.technique + 1, len(names)):
        if names[index] not in standing:
            return _deliver(content, turn.position._replace(technique=index, part=0), [note])
    return Turn(position=turn.position._replace(technique=len(names) - 1, part=0),
                script=[note, Say(content.phrase("routine_finished"))],
                question=content.phrase("again_question"), reprompt=content.phrase("again_reprompt"),
                finished=True)


def _next_lead(content: Content, index: int) -> str:
    """A different lead for each technique in turn, so no two answers in a row open the same way."""
    leads = [content.phrase("next_technique"), *content.phrase_list("next_technique_variants")]
    return leads[(index - 1) % len(leads)]


def technique_script(content: Content, position: Position) -> list[Item]:
    """The spoken steps of the technique (the part, for a split both-legs one) at ``position``."""
    parts = _parts(content, position)
    return parts[min(max(position.part, 0), len(parts) - 1)]


def part_count(content: Content, position: Position) -> int:
    """How many answers the technique at ``position`` is delivered in (1 unless both legs is long)."""
    return len(_parts(content, position))


def is_last(content: Content, position: Position) -> bool:
    """True on the last part of the last technique."""
    if position.technique < len(content.techniques(position.muscle)) - 1:
        return False
    return position.part >= part_count(content, position) - 1


def _parts(content: Content, position: Position) -> list[list[Item]]:
    technique_id = content.techniques(position.muscle)[position.technique]
    atoms = _atoms(content, content.technique(technique_id), position.muscle, position.side)
    routine = content.routine(position.muscle)
    # Bedtime stretches (kind "prevention") are exempt from the time limit: they run hands-free,
    # at bedtime rather than mid-cramp, and a check-in between legs would break the routine.
    if position.side != "BOTH" or routine.get("kind") == "prevention":
        return [[item for items, _ in atoms for item in items]]
    return _pack(atoms, _part_budget(content, position.muscle))


def _part_budget(content: Content, muscle: str) -> float:
    """Seconds a part may take, leaving room for the longest lead, the correction hint and the question."""
    routine = content.routine(muscle)
    around = LEAD_WORDS_MAX + len(content.phrase("start_elsewhere").split()) + \
        len(routine.get("check_in", content.phrase("check_in")).split())
    return BOTH_LIMIT_SECONDS - around / WORDS_PER_SECOND - 1


def _pack(atoms: list[tuple[list[Item], list[Item]]], budget: float) -> list[list[Item]]:
    """Fill parts in order with whole atoms while they fit; an atom opening a part gets its preface."""
    parts: list[list[Item]] = []
    for items, preface in atoms:
        if parts and estimate_seconds(parts[-1] + items) <= budget:
            parts[-1].extend(items)
        else:
            parts.append([*preface, *items])
    return parts


def _atoms(content: Content, technique: dict, muscle: str, side: str | None
           ) -> list[tuple[list[Item], list[Item]]]:
    """The smallest pieces a part is made of: one step, or one leg of a per-leg step.

    Each comes with its preface: what it must say first if it opens an answer (the step's safety
    line, when the leg before it was said in an earlier answer)."""
    atoms: list[tuple[list[Item], list[Item]]] = []
    for step in technique["steps"]:
        safety = [Say(content.fill(step["safety"], muscle, side))] if step.get("safety") else []
        if step.get("per_leg") and side == "BOTH":
            for number, leg in enumerate(SIDES):
                items = _step(content, step, muscle, leg, second=number > 0)
                atoms.append(([*safety, *items], []) if number == 0 else (items, safety))
        else:
            atoms.append(([*safety, *_step(content, step, muscle, side)], []))
    return atoms


def _step(content: Content, step: dict, muscle: str, side: str | None, *, second: bool = False
          ) -> list[Item]:
    """One step for one side: its words, time to get in position, then its hold.

    Repeated ``repeat`` times with ``rest`` seconds between."""
    cues = content.cues
    text = step.get("say_second") if second and step.get("say_second") else step["say"]
    settle = float(step.get("settle_second", step.get("settle", 0)) if second else step.get("settle", 0))
    items: list[Item] = []
    repeats = max(1, int(step.get("repeat", 1)))
    for round_ in range(repeats):
        if round_:
            items.append(Pause(float(step.get("rest", 0))) if step.get("rest") else Pause(1))
            items.append(Say(content.phrase("again_label")))
        else:
            items.append(Say(content.fill(text, muscle, side)))
            if settle > 0 and step.get("hold"):
                items.append(Pause(settle))
                items.append(Say(step.get("settled", cues["settled"])))
        if step.get("hold"):
            items.append(Hold(
                seconds=int(step["hold"]),
                halfway=cues["halfway"],
                five_more=cues["five_more"],
                release=step.get("release", cues["release"]),
            ))
        elif not step.get("rest"):
            items.append(Pause(1))
    return items


def _deliver(content: Content, position: Position, lead: list[Item], tail: list[Item] | None = None
             ) -> Turn:
    routine = content.routine(position.muscle)
    return Turn(
        position=position,
        script=[*lead, *technique_script(content, position), *(tail or [])],
        question=routine.get("check_in", content.phrase("check_in")),
        reprompt=routine.get("check_in_reprompt", content.phrase("check_in_reprompt")),
        words_before_instruction=sum(len(item.text.split()) for item in lead if isinstance(item, Say)),
    )
