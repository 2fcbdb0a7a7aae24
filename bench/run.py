"""Leg Cramp Helper benchmarks: one run on one machine, every figure a ratio to a floor measured in
the same run. Not a test, and nothing here asserts a time: this machine is shared and noisy.

    .venv/bin/python bench/run.py                  # everything, about 3-4 minutes on 2 cores
    .venv/bin/python bench/run.py --quick          # fewer repetitions, about a minute
    .venv/bin/python bench/run.py --only cold,warm # some sections: cold help warm table sizes holds

Sections (bench/README.md says what each means and its target):
  cold   cold start to first guidance: a fresh process answers a one-shot calf cramp, with its
         time-zone lookup (HTTPS, local) and its episode write (moto server, local), vs a process
         that imports ask-sdk, makes a boto3 client and does one put_item. Target <= 1.10.
  help   cold start of a request that needs no table (Help) vs importing ask-sdk alone. <= 1.15.
  warm   in-process latency per request type, no table, vs a one-handler ask-sdk skill. p99 <= 2x.
  table  table calls per request type in a typical night, counted by botocore operation.
  sizes  the largest response and longest speech across every conversation file and every
         muscle x side routine walk, vs 24 KB and 8000 characters.
  holds  every hold in the content: silence rendered vs seconds stated; and one technique
         rendered to audio with espeak-ng.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as dt
import io
import ipaddress
import json
import os
import platform
import re
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAMBDA = ROOT / "lambda"
sys.path[:0] = [str(LAMBDA), str(ROOT)]

EVENTS = ROOT / "tests" / "events"
SKILL_ID = "amzn1.ask.skill.6f1b2c3d-0000-4a5b-9c8d-1234567890ab"  # the fixtures' application id
TABLE = "leg-cramp-helper-bench"
REGION = "us-east-1"
ZONE = "America/New_York"
TARGETS = {"cold": 1.10, "help": 1.15, "warm_p99": 2.0}
RESPONSE_LIMIT = 24 * 1024
SPEECH_LIMIT = 8000
SECTIONS = ("cold", "help", "warm", "table", "speech", "sizes", "holds")
WARM_BLOCKS = 5


def out(line: str = "") -> None:
    print(line, flush=True)


def median(values) -> float:
    return statistics.median(values)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    index = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def load_event(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


# =================================================================================================
# Cold starts: fresh processes
# =================================================================================================
CHILD_OURS = r"""
import time
t0 = time.perf_counter()
import json, sys
sys.path.insert(0, sys.argv[1])
if "no-saxutils" in sys.argv[4:]:  # what-if: speech.py escaping XML itself, without xml.sax.saxutils
    import types
    stub = types.ModuleType("xml.sax.saxutils")
    stub.escape = lambda text: text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    sys.modules["xml.sax.saxutils"] = stub
if "urllib3" in sys.argv[4:]:  # what-if: platform.TimedApiClient on urllib3 (which boto3 loads anyway)
    import os, types
    class _Lazy(types.ModuleType):
        class RequestException(Exception):
            pass
        def request(self, method, url, headers=None, data=None, timeout=None):
            import urllib3
            pool = urllib3.PoolManager(ca_certs=os.environ.get("REQUESTS_CA_BUNDLE"))
            try:
                r = pool.request(method, url, headers=headers, body=data, retries=False,
                                 timeout=urllib3.Timeout(connect=timeout[0], read=timeout[1]))
            except urllib3.exceptions.HTTPError as exc:
                raise self.RequestException(str(exc)) from exc
            return types.SimpleNamespace(headers=r.headers, status_code=r.status, text=r.data.decode())
    sys.modules["requests"] = _Lazy("requests")
from lambda_function import lambda_handler
t1 = time.perf_counter()
with open(sys.argv[2]) as fh:
    event = json.load(fh)
event["request"]["requestId"] += "-" + sys.argv[3]
response = lambda_handler(event, None)
t2 = time.perf_counter()
again = None
if "again" in sys.argv[4:]:  # diagnostics only: the same request once more, warm
    lambda_handler(event, None)
    again = time.perf_counter() - t2
print(json.dumps({"import_s": t1 - t0, "handle_s": t2 - t1, "total_s": t2 - t0, "again_s": again,
                  "ssml": response["response"].get("outputSpeech", {}).get("ssml", ""),
                  "boto3": "boto3" in sys.modules, "requests": "requests" in sys.modules,
                  "modules": len(sys.modules)}))
"""

CHILD_FLOOR_TABLE = r"""
import time
t0 = time.perf_counter()
import json, sys
import ask_sdk_core.skill_builder
import boto3
t1 = time.perf_counter()
client = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name=sys.argv[2])
client.put_item(TableName=sys.argv[3], Item={"pk": {"S": "FLOOR#" + sys.argv[4]}, "sk": {"S": "x"}})
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "handle_s": t2 - t1, "total_s": t2 - t0,
                  "modules": len(sys.modules)}))
"""

CHILD_BREAKDOWN = r"""
import time
t0 = time.perf_counter()
import json, sys
sys.path.insert(0, sys.argv[1])
marks = {}
def mark(label):
    global t0
    now = time.perf_counter()
    marks[label] = now - t0
    t0 = now
import ask_sdk_core.skill_builder
mark("sdk")
import lambda_function
mark("ours")
import boto3, botocore.config
mark("boto3")
import requests
mark("requests")
with open(sys.argv[2]) as fh:
    event = json.load(fh)
api = event["context"]["System"]["apiEndpoint"]
requests.get(api + "/v2/devices/x/settings/System.timeZone", timeout=(0.4, 0.6))
mark("tz_get")
event["request"]["requestId"] += "-breakdown-" + sys.argv[3]
lambda_function.lambda_handler(event, None)
mark("request")
print(json.dumps(marks))
"""

CHILD_FLOOR_SDK = r"""
import time
t0 = time.perf_counter()
import json, sys
import ask_sdk_core.skill_builder
t1 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "handle_s": 0.0, "total_s": t1 - t0, "modules": len(sys.modules)}))
"""


def child_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CRAMP_", "DYNAMODB_", "SKILL_ID", "PYTHONPATH", "AWS_"))}
    env.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION=REGION,
               SKILL_ID=SKILL_ID, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    env.update(extra)
    return env


def spawn(argv: list[str], env: dict) -> dict:
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"child failed: {' '.join(argv[:2])}\n{result.stderr[-3000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["wall_s"] = wall
    data["stderr"] = result.stderr
    return data


def interleaved(runs: int, *children) -> list[list[dict]]:
    """Each child once per round, the order rotating every round, so drift on a shared machine hits
    them all alike. One uncounted round first warms the page cache and __pycache__."""
    for child in children:
        child(-1)
    results: list[list[dict]] = [[] for _ in children]
    for i in range(runs):
        for k in range(len(children)):
            index = (i + k) % len(children)
            results[index].append(children[index](i))
    return results


class TimeZoneApi:
    """Alexa's Settings API on loopback, over HTTPS with a throwaway self-signed certificate, so a
    cold start pays what it pays in production: importing requests, a TLS handshake, one GET."""

    def __init__(self, directory: Path, zone: str = ZONE):
        self.cert = directory / "alexa-api.pem"
        key_file = directory / "alexa-api.key"
        _self_signed(self.cert, key_file)
        zone_body = json.dumps(zone).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                found = self.path.endswith("/settings/System.timeZone")
                body = zone_body if found else b'{"message":"no route"}'
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.endpoint = f"https://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def _self_signed(cert_file: Path, key_file: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False),
                           critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))


@contextlib.contextmanager
def moto_server():
    """ONE moto server on loopback with the skill's table (tools.local_dynamodb.create_table)."""

    import boto3

    from tools.local_dynamodb import create_table, start_server

    server, endpoint = start_server()
    try:
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION,
                              aws_access_key_id="bench", aws_secret_access_key="bench")
        create_table(client, TABLE)
        yield endpoint, client
    finally:
        server.stop()


def summarize_pair(label: str, ours: list[dict], floor: list[dict], whatif: list[dict] | None = None) -> dict:
    row = {"label": label, "n": len(ours)}
    if whatif:
        row["whatif_wall_s"] = median(r["wall_s"] for r in whatif)
        row["ratio_whatif"] = row["whatif_wall_s"] / median(r["wall_s"] for r in floor)
    for key in ("wall_s", "total_s", "import_s", "handle_s"):
        row[f"ours_{key}"] = median(r[key] for r in ours)
        row[f"floor_{key}"] = median(r[key] for r in floor)
    row["ratio_wall"] = row["ours_wall_s"] / row["floor_wall_s"]
    row["ratio_total"] = row["ours_total_s"] / row["floor_total_s"]
    return row


def print_pair(row: dict, floor_name: str, target: float, lazy_note: str = "") -> None:
    ms = 1000
    out(f"  runs: {row['n']} of each, interleaved; medians")
    out(f"  {'':34} {'ours':>9} {'floor':>9} {'ratio':>7}")
    out(f"  {'spawn to exit (wall)':34} {row['ours_wall_s'] * ms:7.0f}ms {row['floor_wall_s'] * ms:7.0f}ms "
        f"{row['ratio_wall']:7.2f}")
    out(f"  {'first line to answer (in child)':34} {row['ours_total_s'] * ms:7.0f}ms "
        f"{row['floor_total_s'] * ms:7.0f}ms {row['ratio_total']:7.2f}")
    out(f"    {'of which imports at start':32} {row['ours_import_s'] * ms:7.0f}ms "
        f"{row['floor_import_s'] * ms:7.0f}ms")
    out(f"    {'of which the first request':32} {row['ours_handle_s'] * ms:7.0f}ms "
        f"{row['floor_handle_s'] * ms:7.0f}ms   {lazy_note}")
    verdict = "met" if row["ratio_wall"] <= target else "NOT met"
    out(f"  floor: {floor_name}")
    out(f"  target ours/floor <= {target:.2f} (wall): {verdict}")
    if "whatif_wall_s" in row:
        out(f"  what-if, {row['whatif']}: {row['whatif_wall_s'] * ms:.0f}ms wall, "
            f"{row['ratio_whatif']:.2f}x the floor")


def bench_cold(runs: int, work: Path, results: dict) -> None:
    out("\n== Cold start to first guidance (one-shot calf cramp, with its episode write) ==")
    api = TimeZoneApi(work)
    event = load_event("one_shot_calf")
    event["context"]["System"]["apiEndpoint"] = api.endpoint
    event_file = work / "one_shot_calf.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    try:
        with moto_server() as (endpoint, client):
            env_ours = child_env(CRAMP_TABLE_NAME=TABLE, CRAMP_TABLE_REGION=REGION,
                                 DYNAMODB_ENDPOINT_URL=endpoint, REQUESTS_CA_BUNDLE=str(api.cert))
            env_floor = child_env()
            argv = [sys.executable, "-c", CHILD_OURS, str(LAMBDA), str(event_file)]
            ours, floor, whatif = interleaved(
                runs,
                lambda i: spawn([*argv, str(i)], env_ours),
                lambda i: spawn([sys.executable, "-c", CHILD_FLOOR_TABLE, endpoint, REGION, TABLE, str(i)],
                                env_floor),
                lambda i: spawn([*argv, f"whatif-{i}", "no-saxutils", "urllib3"], env_ours))
            items = client.scan(TableName=TABLE, Select="COUNT")["Count"]
            breakdown = []
            for i in range(max(3, runs // 3)):
                argv = [sys.executable, "-c", CHILD_BREAKDOWN, str(LAMBDA), str(event_file), str(i)]
                done = subprocess.run(argv, env=env_ours, capture_output=True, text=True, check=True,
                                      timeout=120, cwd=ROOT)
                breakdown.append(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        api.stop()
    problems = [r["stderr"] for r in ours + whatif if "table_write_failed" in r["stderr"]
                or "timezone_unavailable" in r["stderr"]]
    guidance = all("calf" in r["ssml"] and r["ssml"].startswith("<speak>") for r in ours + whatif)
    row = summarize_pair("cold", ours, floor, whatif)
    row["whatif"] = ("ours with speech.py not importing xml.sax.saxutils and TimedApiClient on urllib3 "
                     "instead of requests (both stubbed in the child)")
    print_pair(row, "import ask_sdk_core.skill_builder + boto3.client('dynamodb') + one put_item",
               TARGETS["cold"], "(ours imports boto3 and requests here, lazily)")
    out(f"  checks (ours and what-if): every answer is calf guidance: {guidance}; table items: {items} "
        f"(expected {3 * (runs + 1)}: one per run of each child); "
        f"time-zone lookups and writes that failed: {len(problems)}")
    if problems:
        out("  first failure log: " + problems[0][-600:])
    parts = {key: median(b[key] for b in breakdown) * 1000 for key in breakdown[0]}
    out(f"  where ours spends more (step by step in one process, {len(breakdown)} runs, medians):")
    out(f"    {parts['ours']:5.0f} ms  our modules (import lambda_function, after ask-sdk)")
    out(f"    {parts['requests']:5.0f} ms  import requests after boto3 (the time-zone lookup's HTTP client)")
    out(f"    {parts['tz_get']:5.0f} ms  one time-zone GET over a new TLS connection (first use of requests)")
    out("    + the first request's one-time ask-sdk work and our logic (see the Help section: ~15 ms)")
    out(f"    (shared with the floor: ask-sdk {parts['sdk']:.0f} ms, boto3 {parts['boto3']:.0f} ms; the")
    out(f"    request itself, with its own time-zone GET, client and put_item: {parts['request']:.0f} ms)")
    row["breakdown_ms"] = {k: parts[k] for k in ("ours", "requests", "tz_get")}
    results["cold"] = row


def bench_help(runs: int, work: Path, results: dict) -> None:
    out("\n== Cold start of a request that needs no table (AMAZON.HelpIntent) ==")
    event = load_event("one_shot_calf")
    event["request"]["intent"] = {"name": "AMAZON.HelpIntent", "confirmationStatus": "NONE", "slots": {}}
    event_file = work / "help.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    env = child_env()
    argv = [sys.executable, "-c", CHILD_OURS, str(LAMBDA), str(event_file)]
    ours, floor, whatif = interleaved(
        runs,
        lambda i: spawn([*argv, str(i)], env),
        lambda i: spawn([sys.executable, "-c", CHILD_FLOOR_SDK], env),
        lambda i: spawn([*argv, str(i), "no-saxutils"], env))
    row = summarize_pair("help", ours, floor, whatif)
    row["whatif"] = "ours with speech.py not importing xml.sax.saxutils (stubbed in the child)"
    print_pair(row, "import ask_sdk_core.skill_builder, nothing else", TARGETS["help"])
    boto3_loaded = any(r["boto3"] for r in ours)
    requests_loaded = any(r["requests"] for r in ours)
    out(f"  boto3 in sys.modules of our child: {boto3_loaded} (must be False); requests: {requests_loaded}; "
        f"modules loaded: ours {ours[0]['modules']}, floor {floor[0]['modules']}")
    row["boto3"] = boto3_loaded
    diagnostics = [spawn([*argv, str(i), "again"], env) for i in range(max(3, runs // 3))]
    first = median(d["handle_s"] for d in diagnostics) * 1000
    again = median(d["again_s"] for d in diagnostics) * 1000
    out(f"  the first Help in a process takes {first:.0f} ms, the same request again {again:.1f} ms: the "
        f"difference is one-time work")
    out("  (ask-sdk's deserializer imports the model classes an envelope names on first use; content JSON)")
    row["first_ms"], row["again_ms"] = first, again
    results["help"] = row
    if row["ratio_wall"] > TARGETS["help"] or results.get("cold", {}).get("ratio_wall", 0) > TARGETS["cold"]:
        import_profile(results)


# --- which of OUR imports cost most -------------------------------------------------------------
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def _importtime(code: str) -> list[tuple[int, int, int, str]]:
    """(depth, self us, cumulative us, module) per line of python -X importtime."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                            env=child_env(), cwd=ROOT, timeout=60)
    rows = []
    for line in result.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            rows.append((len(match.group(3)) // 2, int(match.group(1)), int(match.group(2)), match.group(4)))
    return rows


def import_profile(results: dict, repeats: int = 5) -> None:
    """python -X importtime, repeated: what importing lambda_function adds to ask-sdk, per module of
    ours, and which outside modules each of ours drags in that the floor never loads."""
    out("\n  -- python -X importtime: what lambda_function adds on top of ask_sdk_core.skill_builder --")
    code = (f"import sys; sys.path.insert(0, {str(LAMBDA)!r}); "
            "import ask_sdk_core.skill_builder; import lambda_function")
    floor_modules = {row[3] for row in _importtime("import ask_sdk_core.skill_builder")}
    cumulative: dict[str, list[int]] = {}
    pulled: dict[tuple[str, str], list[int]] = {}
    total: list[int] = []
    for _ in range(repeats):
        rows = _importtime(code)
        # python -X importtime prints children before their parent; walk backwards to know parents.
        stack: list[tuple[int, str]] = []
        run_total = 0
        for depth, _self_us, cum_us, name in reversed(rows):
            while stack and stack[-1][0] >= depth:
                stack.pop()
            parent = stack[-1][1] if stack else None
            stack.append((depth, name))
            ours = name == "lambda_function" or name.startswith("cramp_helper")
            if ours:
                cumulative.setdefault(name, []).append(cum_us)
            if name == "lambda_function":
                run_total = cum_us
            elif (not ours and name not in floor_modules and parent
                  and (parent == "lambda_function" or parent.startswith("cramp_helper"))):
                pulled.setdefault((parent, name), []).append(cum_us)
        total.append(run_total)
    out(f"  import lambda_function after ask-sdk: median {median(total) / 1000:.0f} ms "
        f"(under -X importtime, which inflates everything a little)")
    out("  our modules by cumulative import time (each includes what it pulls in first):")
    for name, values in sorted(cumulative.items(), key=lambda kv: -median(kv[1]))[:10]:
        if name != "lambda_function":
            out(f"    {median(values) / 1000:6.1f} ms  {name}")
    out("  outside modules only our code imports (ask-sdk does not), by the module of ours importing them:")
    for (parent, name), values in sorted(pulled.items(), key=lambda kv: -median(kv[1]))[:8]:
        out(f"    {median(values) / 1000:6.1f} ms  {name:<28} imported by {parent}")
    ranked = sorted(pulled.items(), key=lambda kv: -median(kv[1]))
    results["imports"] = {"total_ms": median(total) / 1000,
                          "pulled": [(p, n, median(v) / 1000) for (p, n), v in ranked[:4]]}


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


class Recorder:
    """Wraps a handler and keeps every request envelope it is given, with a label."""

    def __init__(self, handler):
        self.handler, self.requests, self.label = handler, [], ""

    def __call__(self, event, context):
        self.requests.append((self.label, copy.deepcopy(event)))
        return self.handler(event, context)


def record_night(handler) -> list[tuple[str, dict]]:
    """One typical night, as the envelopes Alexa would send (tests/driver.Conversation)."""
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
    night = [(label, by_label[label]) for label in wanted]
    # The same requests from an Echo Show: the answer carries the night screen (APL).
    for label in ("CrampIntent (one-shot start)", "StillCrampingIntent"):
        event = copy.deepcopy(by_label[label])
        event["context"]["System"]["device"]["supportedInterfaces"] = {
            "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.2"}}}
        night.append((f"{label.split(' (')[0]} (Echo Show screen)", event))
    return night


def bench_warm(per_type: int, results: dict) -> None:
    out(f"\n== Warm latency per request type (in-process, no table, {per_type:,} requests each) ==")
    import gc

    from cramp_helper.config import TableConfig
    from cramp_helper.repository import EpisodeRepository
    from cramp_helper.services import Services
    from cramp_helper.skill import make_handler

    services = Services(repository=EpisodeRepository(TableConfig(name=None, region=REGION)))
    ours = make_handler(services, api_client=InstantTimeZone(), skill_id=SKILL_ID)
    floor = minimal_skill()
    night = record_night(ours)
    for _, event in night:  # every request answers validly before it is timed
        from tools.alexa_rules import check_response

        assert not check_response(ours(event, None)), "invalid response in the warm-up"
    timings = {label: ([], []) for label, _ in night}
    clock = time.perf_counter_ns
    sink = io.StringIO()
    gc.collect()
    with contextlib.redirect_stderr(sink):  # the one JSON log line per request is still written
        for i in range(per_type):
            for label, event in night:
                ours_times, floor_times = timings[label]
                if i % 2:
                    t = clock(); floor(event, None); floor_times.append(clock() - t)  # noqa: E702
                    t = clock(); ours(event, None); ours_times.append(clock() - t)  # noqa: E702
                else:
                    t = clock(); ours(event, None); ours_times.append(clock() - t)  # noqa: E702
                    t = clock(); floor(event, None); floor_times.append(clock() - t)  # noqa: E702
            if i % 200 == 0:
                sink.seek(0)
                sink.truncate()
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
    screen_bytes = max(len(json.dumps(ours(event, None), separators=(",", ":")).encode("utf-8"))
                       for label, event in night if "Echo Show" in label)
    out(f"  largest Echo Show response (speech + screen): {screen_bytes:,} bytes (limit 24 KB)")
    worst = max(rows, key=lambda r: r["x99"])
    out(f"  worst p99 ratio: {worst['x99']:.2f}x ({worst['label']}): "
        f"{'met' if worst['x99'] <= TARGETS['warm_p99'] else 'NOT met'}")
    out("  (raw p99 x: the plain p99 of all samples of this type over the floor's, same type; it swings with")
    out("   scheduler noise, which hits both skills with 4-6 ms stalls at about the 1% rate)")
    results["warm"] = rows
    results["screen_bytes"] = screen_bytes


# =================================================================================================
# Table calls per request type
# =================================================================================================
@contextlib.contextmanager
def moto_world():
    """testkit.world.World: the real handler on an in-process moto table, fake Alexa API, clock."""
    import boto3
    from moto import mock_aws

    from tools.local_dynamodb import create_table

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                            "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION=REGION)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    try:
        with mock_aws():
            from testkit.world import TABLE, World

            create_table(boto3.client("dynamodb", region_name=REGION), TABLE)
            yield World()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class CallCounter:
    def __init__(self, client):
        self.calls: list[str] = []
        client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model, **_):
        self.calls.append(model.name)

    def take(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for name in self.calls:
            counts[name] = counts.get(name, 0) + 1
        self.calls = []
        return counts


# What docs/data-model.md promises: label -> (exact calls, or None for "report only").
# A start is one conditional write: a TransactWriteItems (the put, guarded by the person's deletion
# tombstone, docs/data-model.md), still no read.
EXPECTED_CALLS = {
    "CrampIntent (one-shot start)": {"TransactWriteItems": 1},
    "CrampIntent (one-shot, carried)": {"TransactWriteItems": 1},
    # the session closes mid-cramp: the episode's place is kept in the profile (one update)
    "SessionEndedRequest (mid-cramp)": {"UpdateItem": 1},
    # the new session's one read (profile: bookmark and voice), and the bookmark cleared
    "StillCrampingIntent (new session)": {"GetItem": 1, "UpdateItem": 1},
    "CrampGoneIntent (carried, end)": {"UpdateItem": 1},
    "AMAZON.NextIntent (navigation)": {},
    "AMAZON.RepeatIntent (navigation)": {},
    "CrampGoneIntent (end)": {"UpdateItem": 1},
    "CrampCountIntent (history)": {"Query": 1},
    "HistorySummaryIntent (history)": {"Query": 1},
}


def bench_table(results: dict) -> None:
    out("\n== Table calls per request type (botocore before-call hook, moto in-process) ==")
    with moto_world() as world:
        counter = CallCounter(world.client)
        rows = []

        night = world.conversation("amzn1.ask.account.BENCHTABLE")

        def turn(label, call):
            api_before, first = len(world.api.calls), night.new
            call()
            rows.append((label, counter.take(), len(world.api.calls) - api_before, first))
        turn("CrampIntent (one-shot start)", lambda: night.intent("CrampIntent", Muscle="calf", Side="left"))
        turn("StillCrampingIntent", lambda: night.intent("StillCrampingIntent"))
        turn("AMAZON.NextIntent (navigation)", lambda: night.intent("AMAZON.NextIntent"))
        turn("AMAZON.RepeatIntent (navigation)", lambda: night.intent("AMAZON.RepeatIntent"))
        turn("AMAZON.HelpIntent", lambda: night.intent("AMAZON.HelpIntent"))
        turn("CrampGoneIntent (end)", lambda: night.intent("CrampGoneIntent"))
        turn("LaunchRequest", night.launch)
        turn("CrampIntent (after launch)", lambda: night.intent("CrampIntent", Muscle="foot"))
        turn("SessionEndedRequest (abandoned)", night.session_ended)
        turn("CrampCountIntent (history)", lambda: night.intent("CrampCountIntent"))
        turn("HistorySummaryIntent (history)", lambda: night.intent("HistorySummaryIntent"))
        turn("DeleteHistoryIntent (asks)", lambda: night.intent("DeleteHistoryIntent"))
        turn("AMAZON.YesIntent (delete)", lambda: night.intent("AMAZON.YesIntent"))
        episodes_left = len(world.episodes())
        # One cramp across two sessions: silence closes the first, "still cramping" carries on.
        carried = world.conversation("amzn1.ask.account.BENCHCARRIED")
        night = carried
        turn("CrampIntent (one-shot, carried)", lambda: carried.intent("CrampIntent", Muscle="foot"))
        turn("SessionEndedRequest (mid-cramp)", carried.session_ended)
        world.clock.now += dt.timedelta(minutes=2)
        turn("StillCrampingIntent (new session)", lambda: carried.intent("StillCrampingIntent"))
        turn("CrampGoneIntent (carried, end)", lambda: carried.intent("CrampGoneIntent"))
        carried_episodes = [e for e in world.episodes() if e.get("muscle") == "FOOT"]
    out(f"  {'request':34} {'new':>3}  {'table calls':28} {'API':>3}  promised (docs/data-model.md)")
    mismatches, profile_reads = [], 0
    for label, calls, api_calls, first in rows:
        shown = ", ".join(f"{op} {n}" for op, n in sorted(calls.items())) or "none"
        rest = dict(calls)
        promise = EXPECTED_CALLS.get(label) or {}
        if rest.get("GetItem") == 1 and "GetItem" not in promise:  # the profile, read once a session
            profile_reads += 1
            del rest["GetItem"]
        extra = " + the session's profile read" if rest != calls else ""
        promise = EXPECTED_CALLS.get(label)
        if label.startswith("AMAZON.YesIntent"):
            # the tombstone first (one update), then query + batch deletes
            ok = rest.get("Query", 0) >= 1 and rest.get("BatchWriteItem", 0) >= 1 and set(rest) <= {
                "Query", "BatchWriteItem", "UpdateItem"}
            wanted = "tombstone + query + batch writes"
            verdict = (wanted if ok else "NOT " + wanted) + extra
        elif promise is None:
            ok, verdict = True, ""
        else:
            ok = rest == promise
            wanted = ", ".join(f"{op} {n}" for op, n in promise.items()) or "none"
            verdict = ("" if ok else "NOT ") + wanted + extra
        if not ok:
            mismatches.append(label)
        out(f"  {label:34} {'yes' if first else '':>3}  {shown:28} {api_calls:>3}  {verdict}")
    out(f"  items left after the delete: {episodes_left}; promises broken: {mismatches or 'none'}")
    one = len(carried_episodes) == 1 and carried_episodes[0].get("outcome") == "RELIEVED"
    out(f"  one cramp across two sessions: {len(carried_episodes)} episode(s) stored, outcome "
        f"{carried_episodes[0].get('outcome') if carried_episodes else None}: "
        f"{'one episode, one start write, one end write' if one else 'NOT one episode'}")
    if not one:
        mismatches.append("carried episode")
    out("  new = first request of a session; API = device time-zone lookups (at most one per session).")
    out(f"  {profile_reads} GetItem calls are the profile read (voice preference and the bookmark of a cramp")
    out("  whose session closed) that voice.py makes once per session, on the first request that may look")
    out("  up: never a one-shot cramp's first answer, a red flag, help or stop.")
    results["table"] = {"rows": [(label, calls) for label, calls, _, _ in rows], "mismatches": mismatches,
                        "profile_reads": profile_reads}


# =================================================================================================
# Speech: words before the first instruction, seconds per answer
# =================================================================================================
def bench_speech(results: dict) -> None:
    out("\n== Speech: words before the first instruction, seconds per answer (bench/speech_figures.py) ==")
    from bench.speech_figures import figures
    from cramp_helper import content as content_module

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
    from testkit.world import CURRENT_WORLD
    from tools.conversation_files import conversation_paths, load_conversation, run_conversation, user_id_for

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
        with moto_world() as world:
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
            steps = len(content.techniques(muscle_id)) + 1
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


# =================================================================================================
def summary(results: dict, args, started: float) -> None:
    out("\n== Summary (paste into README.md) ==\n")
    lines = [f"Benchmarks: `.venv/bin/python bench/run.py{' --quick' if args.quick else ''}`, "
             f"{dt.date.today().isoformat()}, {platform.machine()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores (shared, noisy); ratios from one run, medians unless noted.", "",
             "| figure | ours vs floor | target |", "|---|---|---|"]
    if "cold" in results:
        r = results["cold"]
        lines.append(f"| cold start to first calf guidance, incl. time-zone lookup and episode write "
                     f"(fresh process, wall) | {r['ours_wall_s'] * 1000:.0f} ms vs "
                     f"{r['floor_wall_s'] * 1000:.0f} ms = **{r['ratio_wall']:.2f}x** | "
                     f"<= {TARGETS['cold']:.2f} |")
    if "help" in results:
        r = results["help"]
        lines.append(f"| cold start of Help, no table (boto3 never imported: {not r['boto3']}) | "
                     f"{r['ours_wall_s'] * 1000:.0f} ms vs {r['floor_wall_s'] * 1000:.0f} ms = "
                     f"**{r['ratio_wall']:.2f}x** | <= {TARGETS['help']:.2f} |")
    if "warm" in results:
        worst = max(results["warm"], key=lambda r: r["x99"])
        slow = max(results["warm"], key=lambda r: r["ours_p99"])
        lines.append(f"| warm p99 per request type vs a one-handler skill, worst | **{worst['x99']:.2f}x** "
                     f"({worst['label']}; slowest p99 {slow['ours_p99']:.2f} ms) | "
                     f"<= {TARGETS['warm_p99']:.0f}x |")
        show = [r for r in results["warm"] if "Echo Show" in r["label"]]
        if show:
            shown = max(show, key=lambda r: r["x99"])
            lines.append(f"| Echo Show: warm p99 vs a one-handler skill, worst / largest response | "
                         f"**{shown['x99']:.2f}x** ({shown['label']}) / "
                         f"{results.get('screen_bytes', 0):,} B | "
                         f"<= {TARGETS['warm_p99']:.0f}x / < 24 KB |")
    if "table" in results:
        bad = results["table"]["mismatches"]
        lines.append(f"| table calls: first guidance 1 write (a guarded transaction) 0 reads, navigation 0, "
                     f"end 1 update, history 1 query, delete query + batches; a cramp carried across two "
                     f"sessions is one episode (1 start, 1 end) | "
                     f"{'as promised' if not bad else 'differs: ' + ', '.join(bad)}"
                     ", plus one GetItem (profile: voice and bookmark) per session not opened by a "
                     "one-shot cramp | docs/data-model.md |")
    if "speech" in results:
        r = results["speech"]
        lines.append(f"| words before the first instruction, worst muscle and side / longest both-legs "
                     f"answer (speech + silence) | {r['words_before_instruction_max']} words / "
                     f"{r['both_longest_s']:.1f} s ({r['over_target']} of {r['answers']} over) | "
                     f"<= 12 / < 60 s |")
    if "sizes" in results:
        s = results["sizes"]
        lines.append(f"| largest response / longest speech over {s['turns']} responses | "
                     f"{s['largest']['bytes']:,} B / {s['longest']['chars']:,} chars | < 24 KB / < 8000 |")
    if "holds" in results:
        h = results["holds"]
        audio = results.get("audio")
        extra = (f"; espeak-ng audio of one technique: {audio['heard']:.1f} s of pauses heard for "
                 f"{audio['stated']:g} s stated ({audio['ratio']:.2f})") if audio else ""
        lines.append(f"| hold silence vs stated, {h['count']} holds | "
                     f"ratio {h['min']:.2f}-{h['max']:.2f}{extra} | 1.00 |")
    for line in lines:
        out(line)
    out(f"\n(bench took {time.monotonic() - started:.0f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about a minute)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated: {','.join(SECTIONS)}")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}")
    for key in [k for k in os.environ if k.startswith(("CRAMP_", "DYNAMODB_"))]:
        os.environ.pop(key)  # the in-process skill below must never find a real table
    cold_runs, warm_requests = (5, 1000) if args.quick else (21, 5000)
    started = time.monotonic()
    out(f"Leg Cramp Helper bench, {dt.datetime.now().isoformat(timespec='seconds')}: {platform.machine()}, "
        f"Python {platform.python_version()}, nproc {os.cpu_count()}, {platform.platform()}")
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "cold" in chosen:
            bench_cold(cold_runs, work, results)
        if "help" in chosen:
            bench_help(cold_runs, work, results)
    with contextlib.redirect_stderr(io.StringIO()):  # the skill's JSON log lines, one per request
        if "warm" in chosen:
            bench_warm(warm_requests, results)
        if "table" in chosen:
            bench_table(results)
        if "speech" in chosen:
            bench_speech(results)
        if "sizes" in chosen:
            bench_sizes(results)
    if "holds" in chosen:
        bench_holds(results)
    summary(results, args, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
