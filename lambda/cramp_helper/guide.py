"""The relief step machine: (position, move) -> (new position, what to say). Pure.

No Alexa or AWS types live here, so every path through every routine is tested in microseconds.
A position is a muscle, a side and the index of the technique being delivered. One technique,
with all of its timed holds, is delivered per turn and ends with a check-in question.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from .content import Content
from .speech import Hold, Item, Pause, Say

SIDES = ("LEFT", "RIGHT")


class Move(Enum):
    NEXT = "next"  # also "still cramping" and "no, it hasn't eased"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    START_OVER = "start_over"
    RESUME = "resume"


@dataclass(frozen=True)
class Position:
    muscle: str
    side: str | None
    technique: int = 0
    part: int = 0


@dataclass(frozen=True)
class Turn:
    """What one move produced. ``finished`` means the routine ran out of techniques."""

    position: Position
    script: list[Item]
    question: str
    reprompt: str
    finished: bool = False


def begin(content: Content, muscle: str, side: str | None, *, after_unknown: bool = False) -> Turn:
    """Start a routine. The first sentence already starts the guidance: no welcome."""
    position = Position(muscle, side, 0)
    routine = content.routine(muscle)
    if routine.get("kind") == "prevention":
        return _deliver(content, position, [Say(routine["intro"])])
    if content.is_unspecific(muscle):
        opening = content.phrase("start_unspecific")
    elif after_unknown:
        opening = content.phrase("start_after_unknown")
    else:
        opening = content.fill(content.phrase("start_known"), muscle, side)
    script: list[Item] = [Say(opening)]
    intro = content.routine(muscle).get("intro")
    if intro:
        script.append(Say(intro))
    return _deliver(content, position, script)


def go(content: Content, position: Position, move: Move) -> Turn:
    """Apply a navigation move to a routine in progress."""
    last = len(content.techniques(position.muscle)) - 1
    index = min(max(position.technique, 0), last)
    if move is Move.NEXT:
        if index >= last:
            return Turn(
                position=replace(position, technique=last),
                script=[Say(content.phrase("routine_finished"))],
                question=content.phrase("again_question"),
                reprompt=content.phrase("again_reprompt"),
                finished=True,
            )
        lead = content.routine(position.muscle).get("next_lead", content.phrase("next_technique"))
        return _deliver(content, replace(position, technique=index + 1), [Say(lead)] if lead else [])
    if move is Move.PREVIOUS:
        if index == 0:
            return _deliver(content, replace(position, technique=0),
                            [Say(content.phrase("first_technique_already"))])
        return _deliver(content, replace(position, technique=index - 1), [])
    if move is Move.START_OVER:
        return _deliver(content, replace(position, technique=0), [Say(content.phrase("start_over"))])
    if move is Move.RESUME:
        return _deliver(content, replace(position, technique=index), [Say(content.phrase("resume"))])
    return _deliver(content, replace(position, technique=index), [Say(content.phrase("repeat"))])


def technique_script(content: Content, position: Position) -> list[Item]:
    """The spoken steps of the technique at ``position``, holds included."""
    technique_id = content.techniques(position.muscle)[position.technique]
    script: list[Item] = []
    for step in content.technique(technique_id)["steps"]:
        if step.get("per_leg") and position.side == "BOTH":
            for side, lead in zip(SIDES, ("per_leg_first", "per_leg_second"), strict=True):
                script.append(Say(content.phrase(lead)))
                script.extend(_step(content, step, position.muscle, side))
        else:
            script.extend(_step(content, step, position.muscle, position.side))
    return script


def _step(content: Content, step: dict, muscle: str, side: str | None) -> list[Item]:
    """One step: its words, then its hold; repeated ``repeat`` times with ``rest`` seconds between."""
    items: list[Item] = []
    repeats = max(1, int(step.get("repeat", 1)))
    for round_ in range(repeats):
        if round_:
            items.append(Pause(float(step.get("rest", 0))) if step.get("rest") else Pause(1))
            items.append(Say(content.phrase("again_label")))
        else:
            items.append(Say(content.fill(step["say"], muscle, side)))
        if step.get("hold"):
            cues = content.cues
            items.append(Hold(
                seconds=int(step["hold"]),
                halfway=cues["halfway"],
                five_more=cues["five_more"],
                release=step.get("release", cues["release"]),
            ))
        elif not step.get("rest"):
            items.append(Pause(1))
    return items


def is_last(content: Content, position: Position) -> bool:
    return position.technique >= len(content.techniques(position.muscle)) - 1


def _deliver(content: Content, position: Position, lead: list[Item]) -> Turn:
    routine = content.routine(position.muscle)
    return Turn(
        position=position,
        script=[*lead, *technique_script(content, position)],
        question=routine.get("check_in", content.phrase("check_in")),
        reprompt=routine.get("check_in_reprompt", content.phrase("check_in_reprompt")),
    )
