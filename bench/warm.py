"""Warm latency per request type, in-process with no table, against a one-handler skill (section warm)."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import time

from bench.common import (
    REGION,
    SKILL_ID,
    TARGETS,
    WARM_BLOCKS,
    ZONE,
    median,
    out,
    percentile,
)


# =================================================================================================
# Warm latency, in-process, no table
# =================================================================================================
class InstantTimeZone:
    """An ask-sdk ApiClient answering the device time-zone lookup at once (no network, no log)."""

    def __new__(cls):
        from ask_sdk_model.services import ApiClient, ApiClientResponse

        class _Client(ApiClient):
            body = json.dumps(ZONE)

            def invoke(self, request):
                if request.url.endswith("/settings/System.timeZone"):
                    return ApiClientResponse(headers=[], status_code=200, body=self.body)
                return ApiClientResponse(headers=[], status_code=404, body="{}")

        return _Client()


def minimal_skill():
    """The floor for warm latency: ask-sdk with one handler speaking one fixed sentence."""
    from ask_sdk_core.dispatch_components import AbstractRequestHandler
    from ask_sdk_core.skill_builder import SkillBuilder

    class Fixed(AbstractRequestHandler):
        def can_handle(self, handler_input):
            return True

        def handle(self, handler_input):
            return (handler_input.response_builder.speak("Okay. Pull your toes toward your shin.")
                    .ask("Has it eased?").response)

    builder = SkillBuilder()
    builder.add_request_handler(Fixed())
    return builder.lambda_handler()


class CannedTable:
    """A DynamoDB client holding one person's month (tools/apl_validate.sample_month: 16 cramps,
    nine bedtime sessions) as botocore returns it, already off the wire: the history Query gets
    them, the profile GetItem nothing. So the warm history row times the skill's own work on a
    real month (decoding, the words, the chart, the screen), not a network it would share with
    any skill."""

    def __init__(self):
        from datetime import datetime
        from zoneinfo import ZoneInfo

        from cramp_helper.storage import EPISODE, PREVENTION, item_key
        from cramp_helper.storage.codec import encode_item
        from tools.apl_validate import sample_month

        episodes, sessions = sample_month(datetime.now(ZoneInfo(ZONE)))
        items = [{**item, "sk": item_key(prefix, item["started_at"], f"bench-{n}")}
                 for prefix, kind in ((EPISODE, episodes), (PREVENTION, sessions))
                 for n, item in enumerate(kind)]
        for item in items:
            item.pop("kind")
        self.page = {"Items": [encode_item(i) for i in sorted(items, key=lambda i: i["sk"])]}

    def query(self, **kwargs):
        return {"Items": [dict(item) for item in self.page["Items"]]}

    def get_item(self, **kwargs):
        return {}


def history_skill():
    """Our skill with the canned month as its table (CannedTable) and a pseudonym key."""
    import os

    from cramp_helper.config import TableConfig
    from cramp_helper.services import Services
    from cramp_helper.skill import make_handler
    from cramp_helper.storage import EpisodeRepository

    os.environ.setdefault("CRAMP_KEY_SECRET", "bench-warm-history-" * 3)
    repository = EpisodeRepository(TableConfig(name="bench-episodes", region=REGION), client=CannedTable())
    return make_handler(Services(repository=repository), api_client=InstantTimeZone(), skill_id=SKILL_ID)


class Recorder:
    """Wraps a handler and keeps every request envelope it is given, with a label."""

    def __init__(self, handler):
        self.handler, self.requests, self.label = handler, [], ""

    def __call__(self, event, context):
        self.requests.append((self.label, copy.deepcopy(event)))
        return self.handler(event, context)


def record_night(handler) -> list[tuple[str, dict]]:
    """One typical night, as the envelopes Alexa would send (testkit.conversation.Conversation)."""
    from testkit.conversation import Conversation

    recorder = Recorder(handler)
    alexa = Conversation(handler=recorder, user_id="amzn1.ask.account.BENCHWARM")

    def step(label, call):
        recorder.label = label
        return call()

    step("LaunchRequest", alexa.launch)
    step("SessionEndedRequest", alexa.session_ended)
    step("CrampIntent (one-shot start)", lambda: alexa.intent("CrampIntent", Muscle="calf", Side="left"))
    step("StillCrampingIntent", lambda: alexa.intent("StillCrampingIntent"))
    step("AMAZON.RepeatIntent (navigation)", lambda: alexa.intent("AMAZON.RepeatIntent"))
    step("AMAZON.HelpIntent", lambda: alexa.intent("AMAZON.HelpIntent"))
    step("CrampGoneIntent", lambda: alexa.intent("CrampGoneIntent"))
    step("HistorySummaryIntent (no table)", lambda: alexa.intent("HistorySummaryIntent"))
    wanted = ["LaunchRequest", "CrampIntent (one-shot start)", "StillCrampingIntent",
              "AMAZON.RepeatIntent (navigation)", "AMAZON.HelpIntent", "CrampGoneIntent",
              "HistorySummaryIntent (no table)", "SessionEndedRequest"]
    by_label = {label: event for label, event in recorder.requests}
    night = [(label, by_label[label], None) for label in wanted]
    # The same requests from an Echo Show: the answer carries the night screen (APL).
    for label in ("CrampIntent (one-shot start)", "StillCrampingIntent"):
        event = copy.deepcopy(by_label[label])
        event["context"]["System"]["device"]["supportedInterfaces"] = {
            "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.2"}}}
        night.append((f"{label.split(' (')[0]} (Echo Show screen)", event, None))
    # A history answer on an Echo Show from a real month: the words, the card and the chart.
    event = copy.deepcopy(by_label["HistorySummaryIntent (no table)"])
    event["context"]["System"]["device"]["supportedInterfaces"] = {
        "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.2"}}}
    month = history_skill()
    screenless = by_label["HistorySummaryIntent (no table)"]
    night.append(("HistorySummaryIntent (month)", screenless, month))
    night.append(("HistorySummaryIntent (month, chart)", event, month))
    return night


def bench_warm(per_type: int, results: dict) -> None:
    out(f"\n== Warm latency per request type (in-process, no table, {per_type:,} requests each) ==")
    import gc

    from cramp_helper.config import TableConfig
    from cramp_helper.services import Services
    from cramp_helper.skill import make_handler
    from cramp_helper.storage import EpisodeRepository

    services = Services(repository=EpisodeRepository(TableConfig(name=None, region=REGION)))
    ours = make_handler(services, api_client=InstantTimeZone(), skill_id=SKILL_ID)
    floor = minimal_skill()
    night = [(label, event, skill or ours) for label, event, skill in record_night(ours)]
    for _, event, skill in night:  # every request answers validly before it is timed
        from tools.alexa_rules import check_response

        assert not check_response(skill(event, None)), "invalid response in the warm-up"
    charted = night[-1][2](night[-1][1], None)["response"]["directives"][0]["datasources"]["screen"]["chart"]
    assert charted["shown"] and charted["total"] > 10, charted  # the month is read and drawn
    timings = {label: ([], []) for label, _, _ in night}
    clock = time.perf_counter_ns
    sink = io.StringIO()
    gc.collect()
    # What the bench itself holds (the interaction models the night was resolved with, moto) is
    # frozen, as lambda_function freezes what a container's start made: a collection during the
    # timed requests then scans what a Lambda's would, not the bench's 200,000 samples (ours and
    # the floor alike: they run in this one process).
    gc.freeze()
    from datetime import UTC, datetime

    from testkit.clock import alexa_timestamp

    with contextlib.redirect_stderr(sink):  # the one JSON log line per request is still written
        for i in range(per_type):
            if i % 100 == 0:  # stamped now, untimed, as Alexa stamps a request: the recorded
                # night's fixed stamp would have ours log request_time_replaced on every request
                stamp = alexa_timestamp(datetime.now(UTC))
                for _, event, _ in night:
                    event["request"]["timestamp"] = stamp
            for label, event, skill in night:
                ours_times, floor_times = timings[label]
                if i % 2:
                    t = clock(); floor(event, None); floor_times.append(clock() - t)  # noqa: E702
                    t = clock(); skill(event, None); ours_times.append(clock() - t)  # noqa: E702
                else:
                    t = clock(); skill(event, None); ours_times.append(clock() - t)  # noqa: E702
                    t = clock(); floor(event, None); floor_times.append(clock() - t)  # noqa: E702
            if i % 200 == 0:
                sink.seek(0)
                sink.truncate()
    gc.unfreeze()
    blocks = WARM_BLOCKS
    size = per_type // blocks
    pooled_floor = [sorted(t for _, floor_times in timings.values()
                           for t in floor_times[k * size:(k + 1) * size]) for k in range(blocks)]
    floor_p99 = median(percentile(block, 0.99) for block in pooled_floor) / 1e6
    out("  floor: a one-handler ask-sdk SkillBuilder().lambda_handler() given the same envelope, timed")
    out(f"  alternately with ours. p99: the median, over {blocks} consecutive blocks of {size:,} rounds, of")
    out("  each block's p99 (a noisy burst on this shared machine moves one block, not the figure); the")
    out(f"  floor's p99 pools all request types in a block (same work for all): {floor_p99:.2f} ms")
    out(f"  {'request':36} {'ours p50':>9} {'ours p99':>9} {'floor p50':>10} {'p50 x':>6} {'p99 x':>6} "
        f"{'raw p99 x':>9}")
    rows = []
    for label, (ours_times, floor_times) in timings.items():
        a, b = sorted(ours_times), sorted(floor_times)
        block_p99 = median(percentile(sorted(ours_times[k * size:(k + 1) * size]), 0.99)
                           for k in range(blocks))
        row = {"label": label, "ours_p50": percentile(a, 0.5) / 1e6, "ours_p99": block_p99 / 1e6,
               "floor_p50": percentile(b, 0.5) / 1e6, "floor_p99": floor_p99,
               "raw_x99": percentile(a, 0.99) / percentile(b, 0.99)}
        row["x50"] = row["ours_p50"] / row["floor_p50"]
        row["x99"] = row["ours_p99"] / row["floor_p99"]
        rows.append(row)
        out(f"  {label:36} {row['ours_p50']:7.2f}ms {row['ours_p99']:7.2f}ms {row['floor_p50']:8.2f}ms "
            f"{row['x50']:6.2f} {row['x99']:6.2f} {row['raw_x99']:9.2f}")
    screen_bytes = max(len(json.dumps(skill(event, None), separators=(",", ":")).encode("utf-8"))
                       for label, event, skill in night if "Echo Show" in label)
    out(f"  largest Echo Show response (speech + screen): {screen_bytes:,} bytes (limit 24 KB)")
    worst = max(rows, key=lambda r: r["x99"])
    out(f"  worst p99 ratio: {worst['x99']:.2f}x ({worst['label']}): "
        f"{'met' if worst['x99'] <= TARGETS['warm_p99'] else 'NOT met'}")
    out("  (raw p99 x: the plain p99 of all samples of this type over the floor's, same type; it swings with")
    out("   scheduler noise, which hits both skills with 4-6 ms stalls at about the 1% rate)")
    results["warm"] = rows
    results["screen_bytes"] = screen_bytes
