"""What is said: words before the first instruction, the largest response and longest speech,
and hold fidelity (sections speech, sizes, holds)."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import wave
from pathlib import Path

from bench.common import (
    RESPONSE_LIMIT,
    ROOT,
    SPEECH_LIMIT,
    out,
)
from bench.table import moto_world


# =================================================================================================
# Speech: words before the first instruction, seconds per answer
# =================================================================================================
def bench_speech(results: dict) -> None:
    out("\n== Speech: words before the first instruction, seconds per answer (testkit/speech_figures.py) ==")
    from cramp_helper import content as content_module
    from testkit.speech_figures import figures

    result = figures(content_module.load("en-US"))
    worst_words = {}
    for r in result["rows"]:
        worst_words[r["muscle"]] = max(worst_words.get(r["muscle"], 0), r["words_before_instruction"])
    out("  words before the first instruction, worst side per muscle: " + ", ".join(
        f"{m} {n}" for m, n in worst_words.items()))
    words, both = result["words_before_instruction_max"], result["both_longest_s"]
    out(f"  worst: {words} words (target <= {result['targets']['words_before_instruction']}); "
        f"longest both-legs answer {both:.1f} s (target < {result['targets']['both_seconds']:g} s); "
        f"longest one-side answer {result['single_side_longest_s']:.1f} s (no target); "
        f"{result['over_target']} of {result['answers']} answers over target")
    results["speech"] = result


# =================================================================================================
# Largest response and longest speech
# =================================================================================================
def bench_sizes(results: dict) -> None:
    out("\n== Largest response and longest speech (every conversation file, every routine walk) ==")
    from cramp_helper import content as content_module
    from testkit.envelopes import LocalSession
    from testkit.world import CURRENT_WORLD, register_table_expectation
    from tools.conversation_files import conversation_paths, load_conversation, run_conversation, user_id_for

    register_table_expectation()  # conversation files may check the table
    largest = {"bytes": 0, "where": ""}
    longest = {"chars": 0, "where": ""}
    turns = 0

    def measure(response: dict, where: str) -> None:
        nonlocal turns
        turns += 1
        size = len(json.dumps(response, separators=(",", ":")).encode("utf-8"))
        ssml = ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
        if size > largest["bytes"]:
            largest.update(bytes=size, where=where)
        if len(ssml) > longest["chars"]:
            longest.update(chars=len(ssml), where=where)

    files = conversation_paths()
    for path in files:
        conversation = load_conversation(path)
        with moto_world(conversation.zone) as world:
            CURRENT_WORLD["world"] = world
            try:
                session = LocalSession(conversation.locale, user_id=user_id_for(path), clock=world.clock)
                for result in run_conversation(conversation, handler=world.handler, session=session):
                    measure(result.response, f"{path.name} turn {result.number} ({result.say!r})")
            finally:
                CURRENT_WORLD["world"] = None
    content = content_module.load("en-US")
    model = json.loads((ROOT / "interaction_models" / "en-US.json").read_text())["interactionModel"]
    types = {t["name"]: t for t in model["languageModel"]["types"]}
    muscles = [v["name"]["value"] for v in types["MuscleType"]["values"]]
    sides = [v["name"]["value"] for v in types["SideType"]["values"]] + [None]
    walks = 0
    with moto_world() as world:
        for muscle in muscles:
            muscle_id = next(v["id"] for v in types["MuscleType"]["values"] if v["name"]["value"] == muscle)
            guided = muscle_id in content.data["muscles"]  # the model also names parts it does not guide
            steps = len(content.techniques(muscle_id)) + 1 if guided else 0
            for side in sides:
                walks += 1
                alexa = world.conversation()
                where = f"walk {muscle}/{side or 'no side'}"
                reply = alexa.intent("CrampIntent", Muscle=muscle, Side=side)
                measure(reply.envelope, f"{where}: CrampIntent")
                for n in range(steps):
                    if reply.ended:
                        break
                    reply = alexa.intent("StillCrampingIntent")
                    measure(reply.envelope, f"{where}: StillCramping #{n + 1}")
                if not reply.ended:
                    measure(alexa.intent("AMAZON.NoIntent").envelope, f"{where}: No")
        alexa = world.conversation()
        reply = alexa.intent("BedtimeStretchIntent")
        measure(reply.envelope, "walk bedtime: BedtimeStretchIntent")
        walks += 1
        for n in range(len(content.techniques("BEDTIME")) + 1):
            if reply.ended:
                break
            reply = alexa.intent("AMAZON.NextIntent")
            measure(reply.envelope, f"walk bedtime: Next #{n + 1}")
    out(f"  {len(files)} conversation files and {walks} routine walks: {turns} responses")
    out(f"  largest response: {largest['bytes']:,} bytes ({largest['bytes'] / RESPONSE_LIMIT:.0%} of 24 KB) "
        f"at {largest['where']}")
    share = longest["chars"] / SPEECH_LIMIT
    out(f"  longest speech:   {longest['chars']:,} characters of SSML ({share:.0%} of 8000) "
        f"at {longest['where']}")
    results["sizes"] = {"largest": largest, "longest": longest, "turns": turns}


# =================================================================================================
# Hold fidelity
# =================================================================================================
def break_seconds(ssml: str) -> list[float]:
    from testkit.ssml import break_times
    from tools.alexa_rules import break_ms

    return [(break_ms(time) or 0) / 1000 for time in break_times(ssml)]


def bench_holds(results: dict) -> None:
    out("\n== Hold fidelity: silence rendered vs seconds stated ==")
    from cramp_helper import content as content_module
    from cramp_helper.guide import Position, technique_script
    from cramp_helper.speech import Hold, Pause, Speech

    content = content_module.load("en-US")
    cues = content.cues
    out(f"  {'technique / step':34} {'stated':>7} {'breaks':>7} {'ratio':>6} {'pieces':>6} {'max':>5}  cues")
    ratios = []
    for technique_id, technique in content.data["techniques"].items():
        for index, step in enumerate(technique["steps"]):
            if not step.get("hold"):
                continue
            hold = Hold(seconds=int(step["hold"]), halfway=cues["halfway"], five_more=cues["five_more"],
                        release=step.get("release", cues["release"]))
            ssml = Speech().add([hold]).ssml()
            pieces = break_seconds(ssml)
            ratio = sum(pieces) / hold.seconds
            ratios.append(ratio)
            heard = [c for c in (cues["halfway"], cues["five_more"]) if c in ssml]
            name = f"{technique_id} #{index + 1}"
            out(f"  {name:34} {hold.seconds:6d}s {sum(pieces):6g}s {ratio:6.2f} {len(pieces):6d} "
                f"{max(pieces):4g}s  {' / '.join(heard) or '-'}")
    # Whole technique scripts, every routine, every position, one side and both: breaks = holds + pauses.
    scripts, exact = 0, 0
    for routine_key in content.position_ids():
        try:
            techniques = content.techniques(routine_key)
        except KeyError:
            continue
        for index in range(len(techniques)):
            for side in ("LEFT", "BOTH"):
                items = technique_script(content, Position(routine_key, side, index))
                stated = sum(i.seconds for i in items if isinstance(i, (Hold, Pause)))
                rendered = sum(break_seconds(Speech(content.voice).add(items).ssml()))
                scripts += 1
                exact += abs(rendered - stated) < 1e-6
    out(f"  holds: {len(ratios)}, ratio min {min(ratios):.2f} max {max(ratios):.2f}; whole technique scripts "
        f"(every routine x position x one side/both): {exact}/{scripts} with breaks == holds + pauses")
    results["holds"] = {"count": len(ratios), "min": min(ratios), "max": max(ratios),
                        "scripts": scripts, "exact": exact}
    audio_check(content, results)


def silent_stretches(path: Path, at_least_s: float = 1.0, threshold: int = 64) -> list[float]:
    """Lengths of the runs of near-silence (every sample within +-threshold) of at least ``at_least_s``,
    measured in 10 ms frames of a 16-bit mono WAV: the pauses a listener actually hears."""
    import array

    with wave.open(str(path)) as audio:
        rate, width = audio.getframerate(), audio.getsampwidth()
        samples = array.array("h", audio.readframes(audio.getnframes())) if width == 2 else None
    if samples is None:
        return []
    frame = rate // 100
    runs, current = [], 0
    for start in range(0, len(samples), frame):
        chunk = samples[start:start + frame]
        if max(chunk) <= threshold and min(chunk) >= -threshold:
            current += len(chunk)
        else:
            if current / rate >= at_least_s:
                runs.append(current / rate)
            current = 0
    if current / rate >= at_least_s:
        runs.append(current / rate)
    return runs


def audio_check(content, results: dict) -> None:
    if shutil.which("espeak-ng") is None:
        out("  espeak-ng is not installed: no audio check")
        return
    from cramp_helper.guide import Position, technique_script
    from cramp_helper.speech import Hold, Pause, Speech
    from testkit.ssml import BREAK
    from tools.alexa_rules import spoken_text
    from tools.console import WORDS_PER_SECOND, render_wav

    items = technique_script(content, Position("CALF", "LEFT", 0))
    ssml = Speech(content.voice).add(items).ssml()
    stated = sum(i.seconds for i in items if isinstance(i, (Hold, Pause)))
    stated_runs = [round(sum(break_seconds(m.group(0))), 3)
                   for m in re.finditer(r"(?:<break[^>]+>\s*)+", ssml)]
    words = len(spoken_text(ssml).split())
    with tempfile.TemporaryDirectory() as tmp:
        joined_wav = Path(tmp) / "joined.wav"
        joined = render_wav(ssml, joined_wav)  # the console joins adjacent breaks for espeak-ng
        speech_only = render_wav(BREAK.sub(" ", ssml), Path(tmp) / "speech.wav")
        heard_joined = silent_stretches(joined_wav)
    estimate = stated + words / WORDS_PER_SECOND
    out(f"\n  audio, espeak-ng -m at 150 wpm: technique {content.techniques('CALF')[0]}, left calf: "
        f"{words} words, pauses stated {' + '.join(f'{r:g}' for r in stated_runs)} = {stated:g} s")
    out(f"    {'rendering':42} {'audio':>6}  pauses heard (silent stretches >= 1 s)")
    shown = " + ".join(f"{h:.1f}" for h in heard_joined)
    out(f"    {'console --speak (adjacent breaks joined)':42} {joined:5.1f}s  {shown} = "
        f"{sum(heard_joined):.1f} s, {sum(heard_joined) / stated:.2f} of stated")
    out(f"    {'text only, every break removed':42} {speech_only:5.1f}s")
    out(f"    Stated silence + estimated speech (words / {WORDS_PER_SECOND} per s) = {estimate:.1f} s; "
        f"rendered {joined:.1f} s ({joined / estimate:.2f}).")
    results["audio"] = {"joined": joined, "speech": speech_only, "heard": sum(heard_joined),
                        "silence": sum(heard_joined), "stated": stated,
                        "ratio": sum(heard_joined) / stated, "estimate": estimate}
