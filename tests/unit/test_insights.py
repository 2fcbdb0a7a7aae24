"""History answers as a person hears them: insights.answer with items as the table returns them.

Each group below is one promise of issue 10, item 7 ("History tells the truth"): warning signs
are not cramps, "usually" only when true, no doubled punctuation, no comparison without earlier
data, counts in words. The handler is a thin caller; tests/functional/test_history_voice.py drives it.
"""

import copy
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cramp_helper import content as content_module
from cramp_helper import insights, periods
from cramp_helper.insights import COMMON, COUNT, LAST, SUMMARY

EN = content_module.load("en-US")
NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 19, 0, tzinfo=NY)  # Monday evening, weeks start on Sunday (en-US)
# "a.m..", "a.m. .", "?.", ",.", ",,", " ." (but "3 a.m., in your calf" is right)
DOUBLED = re.compile(r"[.!?]\s*[.!?]|[,;:]\s*[.,;:!?]|\s[.,;:!?]")


def cramp(local: datetime, muscle="CALF", side="LEFT", outcome="RELIEVED", seconds=240) -> dict:
    """An episode item as the repository returns it (decoded, pk and bookkeeping included)."""
    started = local.astimezone(UTC)
    ended = started + timedelta(seconds=seconds)
    item = {"pk": "USER#abc", "sk": f"EP#{started:%Y-%m-%dT%H:%M:%SZ}#6debbe61bb",
            "started_at": f"{started:%Y-%m-%dT%H:%M:%SZ}",
            "local_time": local.isoformat(timespec="seconds"), "locale": "en-US", "kind": "episode",
            "outcome": outcome, "ended_at": f"{ended:%Y-%m-%dT%H:%M:%SZ}", "duration_s": seconds,
            "techniques": ["calf_toe_pull"], "expires_at": 1_800_000_000, "schema_version": 1}
    if muscle is not None:
        item["muscle"] = muscle
    if side is not None:
        item["side"] = side
    return item


def warning(local: datetime, muscle=None, side=None) -> dict:
    """A red flag: logged as an episode that ended RED_FLAG, with or without a muscle."""
    return cramp(local, muscle=muscle, side=side, outcome="RED_FLAG", seconds=5)


def bedtime(local: datetime, completed=True) -> dict:
    started = local.astimezone(UTC)
    return {"pk": "USER#abc", "sk": f"PS#{started:%Y-%m-%dT%H:%M:%SZ}#1a2b3c4d5e",
            "started_at": f"{started:%Y-%m-%dT%H:%M:%SZ}",
            "local_time": local.isoformat(timespec="seconds"), "routine": "BEDTIME",
            "kind": "prevention", "completed": completed, "duration_s": 180}


def at(day, hour, minute=0, month=11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


def ask(question, episodes=(), sessions=(), now=NOW, zone=NY, period=None, content=EN):
    return insights.answer(content, question, list(episodes), list(sessions), now, zone, period)


def said(reply: insights.Answer) -> str:
    return " ".join(reply.sentences)


# --- 1. warning signs are not cramps -----------------------------------------------------------
def test_a_warning_sign_is_not_counted_as_a_cramp():
    items = [cramp(at(22, 3)), warning(at(22, 4)), warning(at(23, 2), muscle="CALF", side="LEFT")]
    reply = ask(COUNT, items, period="WEEK")
    assert said(reply).startswith("You've had one cramp this week.")
    assert "2 cramps" not in said(reply) and "3 cramps" not in said(reply)


def test_the_last_cramp_is_the_last_cramp_even_after_a_later_warning_sign():
    items = [cramp(at(19, 2, 40), muscle="FOOT", side="RIGHT"), warning(at(23, 3), muscle="CALF")]
    assert said(ask(LAST, items)) == ("Your last cramp was on Wednesday night around 3 a.m., "
                                      "in your right foot.")


def test_only_warning_signs_means_no_cramps_yet():
    items = [warning(at(23, 3))]
    assert said(ask(LAST, items)).startswith("You haven't logged any cramps with me yet.")
    assert said(ask(COUNT, items)).startswith("You haven't logged any cramps with me yet.")
    assert said(ask(COMMON, items)).startswith("You haven't logged any cramps with me yet.")


def test_where_it_cramps_most_ignores_warning_signs():
    items = ([cramp(at(d, 3), muscle="FOOT", side="LEFT") for d in (2, 9)]
             + [warning(at(d, 3), muscle="CALF", side="RIGHT") for d in (3, 10, 17)])
    reply = said(ask(COMMON, items))
    assert "Most of your cramps have been in your foot." in reply
    assert "Your left side cramps more often" in reply and "calf" not in reply


def test_warning_signs_raise_no_frequency_flag_no_nights_no_usual_time_and_no_trend():
    old = [cramp(at(d, 1, month=10)) for d in (1, 20)]  # earlier data, so a trend may be given
    items = old + [cramp(at(5, 1)), cramp(at(12, 17))] + [warning(at(d, 3)) for d in (19, 20, 21, 22, 23)]
    reply = ask(SUMMARY, items)
    text = said(reply)
    assert "In the last 30 days you've had 2 cramps." in text
    assert "That's about the same as the 30 days before." in text  # 2 vs 2, not 7 vs 2
    assert "usually" not in text and "worth getting checked" not in text
    assert "Nights with a cramp, of the last 7: 0" in reply.card.text
    assert "Usual time" not in reply.card.text and "worth discussing" not in reply.card.text
    assert "Where: left calf (2)" in reply.card.text


def test_the_summary_mentions_warning_signs_separately_and_gently():
    reply = ask(SUMMARY, [cramp(at(20, 3)), cramp(at(22, 3)), warning(at(21, 3))])
    text = said(reply)
    assert "you've had 2 cramps" in text
    assert ("You also told me about a warning sign once. If it comes back, please get care the "
            "same day, and call 911 for chest pain or trouble breathing.") in text
    assert ("Warning signs reported (not counted as cramps): once, last on Saturday, November 21"
            in reply.card.text)
    twice = said(ask(SUMMARY, [cramp(at(20, 3)), warning(at(21, 3)), warning(at(22, 3))]))
    assert "a warning sign twice" in twice


def test_a_summary_with_only_a_warning_sign_still_mentions_it():
    reply = ask(SUMMARY, [warning(at(21, 3))])
    text = said(reply)
    assert text.startswith("You haven't logged any cramps with me yet.")
    assert "warning sign once" in text
    assert reply.card is not None and "Last 30 days, to November 23, 2026: no cramps" in reply.card.text


def test_a_warning_sign_outside_the_window_is_not_mentioned():
    text = said(ask(SUMMARY, [warning(at(1, 3, month=9)), cramp(at(20, 3))]))
    assert "warning sign" not in text


# --- 2. "usually" only when most cramps share the hour -----------------------------------------
def test_one_cramp_at_each_of_three_hours_has_no_usual_time():
    reply = ask(SUMMARY, [cramp(at(18, 1)), cramp(at(20, 3)), cramp(at(22, 23))])
    assert "usually" not in said(reply)
    assert "Usual time" not in reply.card.text and "Time of day: varies" in reply.card.text


def test_most_cramps_at_one_hour_is_usual():
    items = [cramp(at(16, 2, 50)), cramp(at(18, 3, 10)), cramp(at(20, 3, 20)), cramp(at(22, 23))]
    reply = ask(SUMMARY, items)
    assert "They usually come around 3 a.m." in said(reply)
    assert "Usual time: around 3 a.m." in reply.card.text


def test_half_is_not_most():
    reply = ask(SUMMARY, [cramp(at(16, 3)), cramp(at(18, 3)), cramp(at(20, 1)), cramp(at(22, 5))])
    assert "usually" not in said(reply)


def test_most_of_your_cramps_only_when_most_of_them_are_there():
    spread = [cramp(at(16, 3), muscle="CALF"), cramp(at(18, 3), muscle="FOOT"),
              cramp(at(20, 3), muscle="THIGH")]
    assert "Most of your cramps" not in said(ask(SUMMARY, spread))
    assert said(ask(COMMON, spread)).startswith(
        "Your cramps have been in different places, with no one place standing out.")
    leading = spread + [cramp(at(21, 3), muscle="CALF")]
    assert said(ask(COMMON, leading)).startswith("You've had cramps most often in your calf.")
    sides = [cramp(at(16, 3), side="LEFT"), cramp(at(18, 3), side="RIGHT")]
    assert "more often than the other" not in said(ask(COMMON, sides))
    single = said(ask(COMMON, [cramp(at(16, 3), side="RIGHT")]))
    assert single == "So far you've logged one cramp, in your right calf."


# --- 3. no doubled punctuation -----------------------------------------------------------------
def test_every_when_key_at_every_hour_reads_cleanly_in_every_sentence_it_fills():
    words = insights.Words(EN)
    keys = EN.section("history")["when"]
    templates = [t for k, t in EN.section("history").items()
                 if not k.startswith("_") and isinstance(t, str) and "{when}" in t]
    assert templates
    for key in keys:
        for hour in range(24):
            when = words.when_key(key, hour, weekday=2, month=11, day=4)
            for template in templates:
                sentence = insights.tidy(template.format(when=when, where="left calf"))
                assert not DOUBLED.search(sentence), (key, hour, sentence)
                assert sentence.endswith((".", "?")), sentence
    for hour in range(24):
        sentence = insights.tidy(EN.section("history")["typical_hour"].format(hour=words.hour(hour)))
        assert not DOUBLED.search(sentence), sentence


def test_the_last_cramp_at_every_hour_of_the_past_ten_days_reads_cleanly():
    seen = set()
    start = NOW - timedelta(days=10)
    for n in range(10 * 24):
        moment = start + timedelta(hours=n, minutes=7)
        if moment > NOW:
            break
        seen.add(periods.relative_day(moment, NOW)[0])
        nowhere = [cramp(moment, muscle=None, side=None)]  # the hour ends the sentence
        same_hour = [cramp(at(1, 3, month=10)), cramp(moment - timedelta(days=1)), cramp(moment)]
        for question, items in ((LAST, nowhere), (SUMMARY, nowhere), (SUMMARY, same_hour)):
            reply = ask(question, items)
            for sentence in reply.sentences:
                assert not DOUBLED.search(sentence), (moment, sentence)
            if reply.card:
                assert not DOUBLED.search(reply.card.text), reply.card.text
    assert seen == set(EN.section("history")["when"])  # every key, at every hour it is used for


def test_around_3_am_ends_with_one_period():
    reply = ask(LAST, [cramp(at(23, 3), muscle=None, side=None)])
    assert reply.sentences == ["Your last cramp was last night around 3 a.m."]
    summary = said(ask(SUMMARY, [cramp(at(20, 3)), cramp(at(22, 3))]))
    assert "They usually come around 3 a.m. Your last cramp" in summary
    assert "a.m.." not in summary


@pytest.mark.parametrize("raw,clean", [
    ("around 3 a.m..", "around 3 a.m."),
    ("around 3 a.m. .", "around 3 a.m."),
    ("in your calf ,.", "in your calf."),
    ("noon?.", "noon?"),
    ("at 3 a.m., in your calf.", "at 3 a.m., in your calf."),
    ("a  b", "a b"),
])
def test_tidy(raw, clean):
    assert insights.tidy(raw) == clean


# --- 4. no earlier data is not "more than before" ----------------------------------------------
FIRST_MONTH = [cramp(at(d, 3)) for d in (1, 6, 11, 16, 21)]


def test_a_first_month_has_nothing_earlier_to_compare_with():
    reply = ask(SUMMARY, FIRST_MONTH)
    text = said(reply)
    assert "In the last 30 days you've had 5 cramps. There's nothing earlier to compare with yet." in text
    assert "more than" not in text and "same as" not in text
    assert "Nothing logged before these 30 days" in reply.card.text


def test_an_older_cramp_makes_the_comparison_true():
    older = [cramp(at(10, 3, month=8))]  # months ago: nothing in the 30 days before, but in use
    text = said(ask(SUMMARY, older + FIRST_MONTH))
    assert "In the last 30 days you've had 5 cramps. That's more than the 30 days before." in text
    assert "The 30 days before: no cramps" in ask(SUMMARY, older + FIRST_MONTH).card.text


def test_earlier_bedtime_stretches_or_warning_signs_also_show_the_skill_was_in_use():
    for earlier in ([], [bedtime(at(1, 21, month=9))]), ([warning(at(1, 3, month=9))], []):
        text = said(ask(SUMMARY, earlier[0] + FIRST_MONTH, sessions=earlier[1]))
        assert "That's more than the 30 days before." in text


def test_counts_compare_with_last_week_and_month_only_when_there_was_one():
    first = [cramp(at(22, 3)), cramp(at(23, 2))]
    text = said(ask(COUNT, first))
    assert text.startswith("You've had 2 cramps this week. You've had 2 cramps this month.")
    assert "last week" not in text and "last month" not in text
    earlier = [cramp(at(30, 3, month=10))] + first
    text = said(ask(COUNT, earlier))
    assert text.startswith("You've had 2 cramps this week, and no cramps last week. "
                           "You've had 2 cramps this month, and one cramp last month.")


# --- 5. counts in words, dates without strftime ------------------------------------------------
@pytest.mark.parametrize("n,words", [(0, "no cramps"), (1, "one cramp"), (2, "2 cramps"), (11, "11 cramps")])
def test_counts_in_words_with_plurals(n, words):
    earlier = [cramp(at(1, 3, month=10))]
    items = earlier + [cramp(NOW - timedelta(hours=2 + 3 * i)) for i in range(n)]
    assert said(ask(COUNT, items, period="WEEK")).startswith(f"You've had {words} this week")


def test_bedtime_nights_and_warning_times_agree_in_number():
    one = ask(SUMMARY, [cramp(at(22, 3))], sessions=[bedtime(at(22, 21))])
    assert "You did your bedtime stretches one night this week." in said(one)
    assert "Bedtime stretches this week: one night" in one.card.text
    sessions = [bedtime(at(22, 21)), bedtime(at(23, 1)),  # one night, either side of midnight
                bedtime(at(23, 17)), bedtime(at(23, 18), completed=False)]
    two = ask(SUMMARY, [cramp(at(22, 3))], sessions=sessions)
    assert "You did your bedtime stretches 2 nights this week." in said(two)
    assert "Bedtime stretches this week: 2 nights" in two.card.text
    words = insights.Words(EN)
    assert [words.times(n) for n in (1, 2, 3)] == ["once", "twice", "3 times"]


def test_the_card_says_dates_and_times_from_the_content_not_the_platform():
    reply = ask(SUMMARY, [cramp(at(20, 3)), cramp(at(23, 0, 5), muscle="FOOT", side="RIGHT")])
    assert "Last 30 days, to November 23, 2026: 2 cramps" in reply.card.text
    assert "Last cramp: Monday, November 23 at 12:05 a.m., right foot" in reply.card.text
    data = copy.deepcopy(EN.data)
    data["history"]["weekdays"] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    data["history"]["months"] = [f"m{n}" for n in range(1, 13)]
    other = ask(SUMMARY, [cramp(at(23, 15, 30))], content=content_module.Content(data))
    assert "Last cramp: lundi, m11 23 at 3:30 p.m., left calf" in other.card.text
    assert "to m11 23, 2026" in other.card.text


# --- the shape of the API ----------------------------------------------------------------------
def test_the_card_is_a_title_and_text_and_only_the_summary_has_one():
    items = [cramp(at(22, 3))]
    summary = ask(SUMMARY, items)
    title, text = summary.card
    assert title == "Leg cramp summary" and text.endswith("This is not a diagnosis or medical advice.")
    assert summary.sentences[-1] == "I've put a summary in your Alexa app, to show your physical therapist."
    assert all(ask(q, items).card is None for q in (COUNT, LAST, COMMON))


def test_bad_input_is_refused_loudly():
    with pytest.raises(ValueError):
        ask("HOW_MANY")
    with pytest.raises(ValueError):
        ask(COUNT, now=NOW.replace(tzinfo=None))


def test_an_unknown_period_is_answered_as_no_period():
    items = [cramp(at(22, 3))]
    assert ask(COUNT, items, period="YEAR").sentences == ask(COUNT, items).sentences


def test_without_a_zone_each_item_keeps_its_recorded_offset():
    assert said(ask(LAST, [cramp(at(23, 3))], now=NOW, zone=None)).startswith(
        "Your last cramp was last night around 3 a.m.")


def test_no_history_at_all():
    for question in (COUNT, LAST, COMMON, SUMMARY):
        reply = ask(question)
        assert reply.sentences == [EN.section("history")["none"]] and reply.card is None
