"""The speech builder: holds the user never has to count, and SSML Alexa always accepts."""

import re

import pytest

from cramp_helper.speech import (
    Hold,
    Pause,
    Say,
    Speech,
    SpeechTooLong,
    estimate_seconds,
    hold_timeline,
    spoken_words,
)
from tools.alexa_rules import break_ms, check_ssml, spoken_text


def hold(seconds, release="And gently let go."):
    return Hold(seconds, "Halfway.", "Five more seconds.", release)


@pytest.mark.parametrize("seconds", [3, 5, 10, 12, 15, 19, 20, 25, 30, 45, 60, 90])
def test_a_hold_is_silence_adding_up_to_its_seconds_in_breaks_of_at_most_ten(seconds):
    events = hold_timeline(hold(seconds))
    breaks = [value for kind, value in events if kind == "break"]
    assert sum(breaks) == seconds
    assert all(0 < b <= 10 for b in breaks)
    assert events[-1] == ("cue", "And gently let go.")
    ssml = Speech().add([hold(seconds)]).ssml()
    assert check_ssml(ssml) == []
    times = re.findall(r'time="([^"]+)"', ssml)
    assert sum(break_ms(t) for t in times) == seconds * 1000


def test_cues_are_sparse_and_placed_in_time():
    events = hold_timeline(hold(30))
    assert events == [("break", 10), ("break", 5), ("cue", "Halfway."), ("break", 10),
                      ("cue", "Five more seconds."), ("break", 5), ("cue", "And gently let go.")]
    short = [v for k, v in hold_timeline(hold(10)) if k == "cue"]
    assert short == ["And gently let go."]
    assert [v for k, v in hold_timeline(hold(15)) if k == "cue"] == [
        "Five more seconds.", "And gently let go."]


def test_odd_holds_split_halfway_in_milliseconds():
    ssml = Speech().add([hold(25)]).ssml()
    assert '<break time="2500ms"/>' in ssml and check_ssml(ssml) == []


def test_text_is_escaped_so_the_response_stays_valid():
    ssml = Speech({"volume": "soft"}).say('Tom & Jerry <say-as> "quoted" \x00\x07').ssml()
    assert check_ssml(ssml) == []
    assert spoken_text(ssml) == 'Tom & Jerry <say-as> "quoted"'


def test_prosody_wraps_the_whole_speech():
    ssml = Speech({"volume": "soft", "rate": "95%"}).say("Hello.").ssml()
    assert ssml == '<speak><prosody volume="soft" rate="95%">Hello.</prosody></speak>'


def test_speech_over_the_limit_is_refused_not_sent():
    with pytest.raises(SpeechTooLong):
        Speech().say("x" * 8000).ssml()


def test_readable_form_shows_silences():
    text = Speech().say("Hold.").add([hold(20)]).readable()
    assert text == "Hold. (10 s) Halfway. (5 s) Five more seconds. (5 s) And gently let go."


def test_the_checker_itself_catches_what_alexa_rejects():
    assert check_ssml("<speak>a & b</speak>")
    assert check_ssml('<speak><break time="11s"/></speak>')
    assert check_ssml('<speak><break time="10"/></speak>')
    assert check_ssml("<speak><font>x</font></speak>")
    assert check_ssml('<speak><prosody rate="10%">x</prosody></speak>')
    assert check_ssml('<speak><amazon:effect name="whispered">x</amazon:effect></speak>') == []


def test_an_answer_is_estimated_as_its_words_at_the_night_rate_plus_every_silence():
    items = [Say("Keep your leg straight."), Pause(4), Say("Now hold."), hold(20)]
    # 4 + 2 words said, 4 cue words inside the hold (Halfway. Five more seconds.), 4 in the release
    assert spoken_words(items) == 14
    assert estimate_seconds(items) == pytest.approx(24 + 14 / 2.4)
    assert estimate_seconds(items, words_per_second=1) == pytest.approx(24 + 14)
    assert estimate_seconds([]) == 0
