"""'Whisper to me' and 'speak normally': a preference kept for later sessions."""

from __future__ import annotations

from .. import voice
from ..services import services_of
from ..state import EXPECT_MUSCLE
from .base import IntentHandler, content_of, intent_name, soft
from .general import reply_in_place

WHISPER_INTENT = "WhisperIntent"
NORMAL_INTENT = "SpeakNormallyIntent"


class VoicePreferenceHandler(IntentHandler):
    intents = (WHISPER_INTENT, NORMAL_INTENT)

    def handle(self, handler_input):
        content = content_of(handler_input)
        words = content.section("voice_prefs")
        whisper = intent_name(handler_input) == WHISPER_INTENT
        saved = voice.save_preference(handler_input, voice.WHISPER if whisper else voice.NORMAL)
        speech = soft(handler_input).say(words["whisper_on" if whisper else "normal_on"])
        if not saved and services_of(handler_input).repository.enabled:
            speech.say(words["not_saved"])
        return reply_in_place(handler_input, speech, words["saved_question_idle"],
                              words["saved_reprompt_idle"], EXPECT_MUSCLE)
