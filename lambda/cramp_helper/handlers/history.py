"""History by voice: counts, the last cramp, where it cramps most, and a summary card.

The words come from ``insights.answer`` (pure); this handler only reads the request, makes one
table query (paged past 1 MB by the repository), and speaks the answer in the night voice. The
session closes; the summary also goes to the Alexa app as a card worded for a physical therapist.
"""

from __future__ import annotations

from .. import insights, slots
from ..episodes import user_id
from ..repository import EPISODE, PREVENTION, StorageError, user_key
from ..services import services_of
from ..timezone import UTC, device_zone
from .base import IntentHandler, content_of, intent_name, reply, soft

QUESTIONS = {
    "CrampCountIntent": insights.COUNT,
    "LastCrampIntent": insights.LAST,
    "CommonCrampIntent": insights.COMMON,
    "HistorySummaryIntent": insights.SUMMARY,
}


class HistoryHandler(IntentHandler):
    intents = tuple(QUESTIONS)

    def handle(self, handler_input):
        content = content_of(handler_input)
        services = services_of(handler_input)
        uid = user_id(handler_input)
        if not services.repository.enabled or uid is None:
            return _speak(handler_input, insights.unavailable(content))
        zone = device_zone(handler_input)
        now = services.now().astimezone(zone or UTC)
        question = QUESTIONS[intent_name(handler_input)]
        pk = user_key(uid)
        try:
            # Every question reads all of the user's episodes and bedtime sessions (400 days at
            # most, tiny items, one query paged past 1 MB): the last cramp may sit behind a
            # later warning sign, and a comparison needs to know whether anything came before.
            items = services.repository.query(pk, EPISODE, "", until_prefix=PREVENTION)
        except StorageError:
            return _speak(handler_input, insights.unavailable(content))
        episodes = [i for i in items if i.get("sk", "").startswith(EPISODE)]
        sessions = [i for i in items if i.get("sk", "").startswith(PREVENTION)]
        period = slots.read(handler_input, "Period").id
        return _speak(handler_input,
                      insights.answer(content, question, episodes, sessions, now, zone, period))


def _speak(handler_input, answer: insights.Answer):
    speech = soft(handler_input)
    for sentence in answer.sentences:
        speech.say(sentence)
    return reply(handler_input, speech, end=True, card=answer.card)
