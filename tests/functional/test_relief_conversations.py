"""Whole conversations through lambda_handler, as a person at 3 a.m. would have them."""

import re

from lambda_function import lambda_handler
from testkit.conversation import Conversation, load_event
from tools.alexa_rules import check_response, spoken_text


def test_one_shot_fixture_starts_guidance_without_a_welcome():
    response = lambda_handler(load_event("one_shot_calf"), None)
    assert check_response(response) == []
    speech = spoken_text(response["response"]["outputSpeech"]["ssml"])
    assert speech.startswith("Okay, your left calf.")
    assert "welcome" not in speech.lower() and "I'm here to help" not in speech
    assert "pull your toes up toward your shin" in speech
    assert response["response"]["shouldEndSession"] is False


def test_calf_one_shot_then_still_cramping_then_gone(alexa):
    first = alexa.intent("CrampIntent", Muscle="calf", Side="left")
    assert "your left leg straight" in first.speech
    assert first.hold_seconds() == 64  # a few seconds to get the towel, then two 30 s holds
    assert first.speech.endswith("Has it eased?")
    assert "Halfway." in first.speech and "Five more seconds." in first.speech

    second = alexa.intent("StillCrampingIntent")
    assert second.speech.startswith("Let's try something else.")
    assert "Put your weight on your left leg" in second.speech
    assert second.hold_seconds() == 25  # time to stand, then a 20 s hold
    assert not second.ended

    done = alexa.intent("CrampGoneIntent")
    assert done.ended
    assert "drink some water" in done.speech and "walk a little" in done.speech.lower()
    assert "physical therapist" in done.speech  # when to see a professional
    assert done.card and done.card["title"] == "After your cramp"


def test_foot_cramp_presses_the_arch_for_about_twenty_seconds(alexa):
    reply = alexa.intent("CrampIntent", Muscle="arch", Side="right")
    assert reply.speech.startswith("Okay, your right foot.")
    assert "stretch the arch" in reply.speech
    assert reply.hold_seconds() == 45  # time to stand, then two rounds of 20 s (the clinic's article)
    nxt = alexa.intent("StillCrampingIntent")
    assert "walk a few slow steps" in nxt.speech


def test_both_feet_are_pressed_together_in_two_short_answers(alexa):
    reply = alexa.intent("CrampIntent", Muscle="feet", Side="both")
    assert "Press both feet flat into the floor" in reply.speech and "leg" not in reply.speech
    assert reply.hold_seconds() == 25 and reply.speech.endswith("Has it eased?")
    second = alexa.intent("StillCrampingIntent")  # the second round, before the next technique
    assert "Press both feet down into the floor" in second.speech and second.hold_seconds() == 20


def test_unknown_muscle_is_asked_about_once_and_never_becomes_a_calf(alexa):
    asked = alexa.intent("CrampIntent", Muscle="jaw", Side="left")
    assert asked.speech == "I help with cramps in the calf, thigh, foot and toes. Where is yours?"
    assert not asked.ended and asked.hold_seconds() == 0
    again = alexa.intent("CrampIntent", Muscle="earlobe")
    assert again.speech.startswith("I can only guide cramps in the legs and feet.")
    assert "gentle stretch" in again.speech and again.speech.endswith("Is there a cramp in your leg or foot?")
    assert again.hold_seconds() == 0 and "calf" not in again.speech and not again.ended
    started = alexa.intent("CrampIntent", Muscle="calf")  # then they name the leg
    assert "pull your toes up" in started.speech


def test_missing_muscle_or_just_leg_starts_with_the_calf_and_says_so(alexa):
    for words in (None, "leg"):
        reply = Conversation().intent("CrampIntent", Muscle=words)
        assert reply.speech.startswith("Let's start with your calf, where most night cramps are.")
        assert "pull your toes up" in reply.speech


def test_unresolved_side_is_ignored_not_fatal(alexa):
    reply = alexa.intent("CrampIntent", Muscle="calf", Side="middle")
    assert reply.speech.startswith("Okay, your calf.")


def test_launch_welcomes_in_one_sentence_and_asks_which_muscle(alexa):
    reply = alexa.launch()
    assert not reply.ended
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", reply.speech) if s]
    welcome, question = sentences  # one short welcome sentence, then the question
    assert len(welcome.split()) <= 8
    assert question.endswith("?") and "calf" in question and "foot" in question
    then = alexa.intent("CrampIntent", Muscle="hammy")
    assert then.speech.startswith("Okay, the back of your thigh.")


def test_navigation_works_at_every_step_of_the_calf_routine(alexa):
    alexa.intent("CrampIntent", Muscle="calf", Side="right")
    steps = ["pull your toes up", "Put your weight on your right leg", "massage your right calf",
             "warm towel"]
    for index, marker in enumerate(steps):
        if index:
            assert marker in alexa.intent("AMAZON.NextIntent").speech
        assert marker in alexa.intent("AMAZON.RepeatIntent").speech
        paused = alexa.intent("AMAZON.PauseIntent")
        assert "take your time" in paused.speech and not paused.ended and paused.hold_seconds() == 0
        assert "tell leg cramp helper I'm ready" in paused.reprompt  # how to come back later
        resumed = alexa.intent("AMAZON.ResumeIntent")
        assert marker in resumed.speech
        if index:
            assert steps[index - 1] in alexa.intent("AMAZON.PreviousIntent").speech
            alexa.intent("AMAZON.NextIntent")
    over = alexa.intent("AMAZON.StartOverIntent")
    assert over.speech.startswith("Okay, from the top.") and "pull your toes up" in over.speech


def test_previous_on_the_first_technique_repeats_it(alexa):
    alexa.intent("CrampIntent", Muscle="toes")
    reply = alexa.intent("AMAZON.PreviousIntent")
    assert reply.speech.startswith("This is the first one.")
    assert "toes flat into the floor" in reply.speech


def test_after_the_last_technique_it_says_to_get_care(alexa):
    alexa.intent("CrampIntent", Muscle="quads", Side="left")
    alexa.intent("StillCrampingIntent")
    alexa.intent("StillCrampingIntent")
    last = alexa.intent("StillCrampingIntent")
    assert "won't stop after about ten minutes" in last.speech
    assert "medical care" in last.speech
    assert last.speech.endswith("Would you like to go through the stretches again?")
    again = alexa.intent("AMAZON.YesIntent")
    assert "foot back toward your buttock" in again.speech
    for _ in range(2):
        alexa.intent("AMAZON.NoIntent")  # "has it eased?" "no": next technique
    alexa.intent("AMAZON.NextIntent")
    bye = alexa.intent("AMAZON.NoIntent")
    assert bye.ended and "medical care" in bye.speech


def test_yes_to_has_it_eased_is_relief(alexa):
    alexa.intent("CrampIntent", Muscle="hamstring")
    reply = alexa.intent("AMAZON.YesIntent")
    assert reply.ended and "glad it's eased" in reply.speech


def test_stop_and_cancel_in_the_middle_of_a_hold_end_at_once(alexa):
    for stop in ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"):
        talk = Conversation()
        talk.intent("CrampIntent", Muscle="calf")
        reply = talk.intent(stop)
        assert reply.ended
        assert reply.hold_seconds() == 0 and "I'm still cramping" in reply.speech  # how to come back


def test_help_explains_and_keeps_the_place(alexa):
    idle = alexa.intent("AMAZON.HelpIntent")
    assert "timed stretches" in idle.speech and "call 911" in idle.speech
    assert idle.speech.endswith("Where's your cramp?") and not idle.ended
    alexa.intent("CrampIntent", Muscle="calf")
    alexa.intent("StillCrampingIntent")
    mid = alexa.intent("AMAZON.HelpIntent")
    assert mid.speech.endswith("Has it eased?")  # the check-in itself: a bare yes is unambiguous
    assert "Put your weight on" in alexa.intent("AMAZON.RepeatIntent").speech


def test_fallback_answers_in_character_and_asks_again(alexa):
    idle = alexa.intent("AMAZON.FallbackIntent")
    assert idle.speech.startswith("Sorry, I didn't catch that.") and not idle.ended
    alexa.intent("CrampIntent", Muscle="foot")
    mid = alexa.intent("AMAZON.FallbackIntent")
    assert mid.speech.endswith("Has it eased?")
    assert "walk a few slow steps" in alexa.intent("AMAZON.NextIntent").speech


def test_red_flag_mid_routine_gets_urgent_advice_not_a_stretch(alexa):
    alexa.intent("CrampIntent", Muscle="calf", Side="left")
    alexa.intent("StillCrampingIntent")
    reply = alexa.intent("RedFlagIntent", Symptom="chest pain")
    assert reply.speech.startswith("Call 911 now")  # issue 18: the action first
    assert reply.hold_seconds() == 0 and "stretch" not in reply.speech.replace("Don't massage or stretch", "")
    assert reply.ended
    assert 'volume="soft"' not in reply.ssml  # urgent advice is not whispered
    assert reply.card["title"] == "Get medical care"


def test_red_flag_phrasings_get_the_matching_urgency():
    expectations = {
        "swollen and red": ["blood clot", "Don't massage", "today"],
        "hard veins": ["blood clot", "Don't massage"],
        "shortness of breath": ["Call 911 now"],
        "a cut": ["wound", "today"],
    }
    for words, markers in expectations.items():
        reply = Conversation().intent("RedFlagIntent", Symptom=words)
        for marker in markers:
            assert marker in reply.speech, (words, marker, reply.speech)
        assert reply.ended and reply.hold_seconds() == 0
    emergency = Conversation().intent("EmergencyIntent")  # "I can't breathe"
    assert "Call 911 now" in emergency.speech and emergency.ended


def test_every_response_of_a_long_night_is_valid_and_asks_when_open():
    # Conversation.send checks every response; this walks every routine to its end.
    for muscle in ("calf", "hamstring", "quad", "thigh", "foot", "toes", "leg"):
        for side in ("left", "right", "both", None):
            talk = Conversation()
            reply = talk.intent("CrampIntent", Muscle=muscle, Side=side)
            while not reply.speech.endswith("again?"):
                reply = talk.intent("StillCrampingIntent")
            assert talk.intent("AMAZON.NoIntent").ended


def test_session_ended_gets_a_silent_valid_response(alexa):
    alexa.intent("CrampIntent", Muscle="calf")
    reply = alexa.session_ended("ERROR", {"type": "INVALID_RESPONSE", "message": "bad"})
    assert "outputSpeech" not in reply.response


def test_an_unclear_red_flag_asks_one_question_and_does_not_drop_the_cramp(alexa):
    alexa.intent("CrampIntent", Muscle="calf", Side="left")
    unsure = alexa.intent("RedFlagIntent", Muscle="calf", Symptom="all weird")  # words about the leg
    assert "911" not in unsure.speech  # an unknown word is never the emergency line
    assert not unsure.ended
    assert unsure.speech.endswith("Is your leg swollen, red or warm, or is it just the cramp?")
    carried = alexa.intent("AMAZON.NoIntent")
    assert "pull your toes up" in carried.speech  # back where they were
    idle = Conversation()
    neutral = idle.intent("RedFlagIntent", Symptom="awake")  # no leg named: the neutral question
    assert neutral.speech.endswith("Is it about your leg cramp, or a different problem?")
    assert "911" not in neutral.speech and "swollen" not in neutral.speech and not neutral.ended
    back = idle.intent("AMAZON.NoIntent")  # a different problem: what this skill does, when to call
    assert back.ended and "only help with leg cramps" in back.speech and "911" in back.speech
    assert '<say-as interpret-as="digits">911</say-as>' in back.ssml  # the number said digit by digit
    assert back.hold_seconds() == 0
    confirmed = Conversation()
    confirmed.intent("RedFlagIntent", Symptom="awake")
    clot = confirmed.intent("AMAZON.YesIntent")  # it is about the cramp: the clot question follows
    assert clot.speech.endswith("Is your leg swollen, red or warm, or is it just the cramp?")
    reply = confirmed.intent("AMAZON.YesIntent")
    assert reply.ended and "blood clot" in reply.speech and reply.hold_seconds() == 0


def test_yes_right_after_the_welcome_asks_where_and_no_ends_politely(alexa):
    alexa.launch()
    reply = alexa.intent("AMAZON.YesIntent")
    assert reply.speech == "Where's your cramp?" and not reply.ended
    declined = alexa.intent("AMAZON.NoIntent")
    assert declined.ended and declined.hold_seconds() == 0 and "glad it's eased" not in declined.speech
