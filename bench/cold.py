"""Cold starts, fresh processes: first calf guidance and Help against their floors (sections cold, help)."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import os
import re
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.common import (
    LAMBDA,
    REGION,
    ROOT,
    SKILL_ID,
    TABLE,
    TARGETS,
    ZONE,
    load_event,
    median,
    out,
)

# =================================================================================================
# Cold starts: fresh processes
# =================================================================================================
CHILD_OURS = r"""
import time
t0 = time.perf_counter()
import json, sys
sys.path.insert(0, sys.argv[1])
from lambda_function import lambda_handler
t1 = time.perf_counter()
with open(sys.argv[2]) as fh:
    event = json.load(fh)
event["request"]["requestId"] += "-" + sys.argv[3]
# a new person each run: the same person again within a minute is the same cramp (issue 21's
# open-cramp marker) and stores nothing new, which is not the first guidance being measured
for holder in (event["session"]["user"], event["context"]["System"]["user"]):
    holder["userId"] += "-" + sys.argv[3]
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
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.dispatch_components import AbstractRequestHandler
import boto3
t1 = time.perf_counter()


class Cramp(AbstractRequestHandler):
    # The one-handler skill that stores a cramp: any skill that stamps a local time asks for the
    # device's time zone, and any skill that logs one writes one item.
    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        import urllib3

        pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=0.4, read=0.6), retries=False)
        zone = pool.request("GET", sys.argv[5] + "/v2/devices/floor/settings/System.timeZone").status
        assert zone == 200, zone
        client = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name=sys.argv[2])
        # The same write as ours: one TransactWriteItems of the deletion tombstone's check, the
        # episode and its open-cramp marker (issues 19 and 21 made the first guidance's write that).
        pk = {"S": "FLOOR#" + sys.argv[4]}
        client.transact_write_items(TransactItems=[
            {"ConditionCheck": {"TableName": sys.argv[3], "Key": {"pk": pk, "sk": {"S": "PROFILE"}},
                                "ConditionExpression": "attribute_not_exists(deleted_at)"}},
            {"Put": {"TableName": sys.argv[3], "Item": {"pk": pk, "sk": {"S": "EP#x"}},
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": sys.argv[3], "Item": {"pk": pk, "sk": {"S": "OPEN#CALF"}}}},
        ])
        return handler_input.response_builder.speak("Cramp.").response


builder = SkillBuilder()
builder.add_request_handler(Cramp())
handler = builder.lambda_handler()
with open(sys.argv[6]) as fh:
    event = json.load(fh)
handler(event, None)
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
import urllib3
mark("requests")
with open(sys.argv[2]) as fh:
    event = json.load(fh)
api = event["context"]["System"]["apiEndpoint"]
urllib3.PoolManager(retries=False).request("GET", api + "/v2/devices/x/settings/System.timeZone",
                                           timeout=urllib3.Timeout(connect=0.4, read=0.6))
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
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.dispatch_components import AbstractRequestHandler
t1 = time.perf_counter()


class Help(AbstractRequestHandler):  # the one-handler skill: any request gets one spoken question
    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Help.").ask("Help?").response


builder = SkillBuilder()
builder.add_request_handler(Help())
handler = builder.lambda_handler()
with open(sys.argv[1]) as fh:
    event = json.load(fh)
handler(event, None)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "handle_s": t2 - t1, "total_s": t2 - t0, "modules": len(sys.modules)}))
"""


def child_env(**extra: str) -> dict:
    # PYTHONDONTWRITEBYTECODE (set on this machine and on CI) would make every child compile our
    # modules from source: the warm-up round could not write __pycache__, and Lambda never pays that
    # (the deployed zip carries its bytecode: section deployed).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CRAMP_", "DYNAMODB_", "SKILL_ID", "PYTHONPATH", "AWS_",
                                "PYTHONDONTWRITEBYTECODE"))}
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


def summarize_pair(label: str, ours: list[dict], floor: list[dict]) -> dict:
    row = {"label": label, "n": len(ours)}
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


def bench_cold(runs: int, work: Path, results: dict) -> None:
    out("\n== Cold start to first guidance (one-shot calf cramp, with its episode write) ==")
    api = TimeZoneApi(work)
    event = load_event("one_shot_calf")
    event["context"]["System"]["apiEndpoint"] = api.endpoint
    event_file = work / "one_shot_calf.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    try:
        with moto_server() as (endpoint, client):
            # SSL_CERT_FILE: OpenSSL's default trust (urllib3's too) takes the local API's certificate
            # EPISODE_LOG=on: the person said yes to the log, so the first guidance stores its cramp
            # (in "ask" mode a first-time person's start is refused by the same one transaction)
            env_ours = child_env(CRAMP_TABLE_NAME=TABLE, CRAMP_TABLE_REGION=REGION, EPISODE_LOG="on",
                                 DYNAMODB_ENDPOINT_URL=endpoint, SSL_CERT_FILE=str(api.cert))
            env_floor = child_env(SSL_CERT_FILE=str(api.cert))
            argv = [sys.executable, "-c", CHILD_OURS, str(LAMBDA), str(event_file)]
            ours, floor = interleaved(
                runs,
                lambda i: spawn([*argv, str(i)], env_ours),
                lambda i: spawn([sys.executable, "-c", CHILD_FLOOR_TABLE, endpoint, REGION, TABLE, str(i),
                                 api.endpoint, str(event_file)], env_floor))
            items = client.scan(TableName=TABLE, Select="COUNT")["Count"]
            breakdown = []
            for i in range(max(3, runs // 3)):
                argv = [sys.executable, "-c", CHILD_BREAKDOWN, str(LAMBDA), str(event_file), str(i)]
                done = subprocess.run(argv, env=env_ours, capture_output=True, text=True, check=True,
                                      timeout=120, cwd=ROOT)
                breakdown.append(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        api.stop()
    problems = [r["stderr"] for r in ours if "table_write_failed" in r["stderr"]
                or "timezone_unavailable" in r["stderr"]]
    guidance = all("calf" in r["ssml"] and r["ssml"].startswith("<speak>") for r in ours)
    row = summarize_pair("cold", ours, floor)
    print_pair(row, "a one-handler ask-sdk skill answering the same envelope with the device's time "
               "zone (one GET over a new TLS connection) and the same write as ours (one TransactWriteItems: "
               "a tombstone check, the episode, its open-cramp marker)",
               TARGETS["cold"], "(ours imports boto3 and urllib3 here, lazily)")
    out(f"  checks: every answer is calf guidance: {guidance}; table items: {items} "
        f"(expected {4 * (runs + 1)}: per run, the episode and its open-cramp marker, ours and the floor's); "
        f"time-zone lookups and writes that failed: {len(problems)}")
    if problems:
        out("  first failure log: " + problems[0][-600:])
    parts = {key: median(b[key] for b in breakdown) * 1000 for key in breakdown[0]}
    out(f"  where ours spends more (step by step in one process, {len(breakdown)} runs, medians):")
    out(f"    {parts['ours']:5.0f} ms  our modules (import lambda_function, after ask-sdk)")
    out(f"    {parts['requests']:5.0f} ms  import urllib3 after boto3 (the time-zone lookup's HTTP client)")
    out(f"    {parts['tz_get']:5.0f} ms  one time-zone GET over a new TLS connection "
        "(the floor makes it too)")
    out("    + the first request's one-time ask-sdk work and our logic (see the Help section: ~15 ms)")
    out(f"    (shared with the floor: ask-sdk {parts['sdk']:.0f} ms, boto3 {parts['boto3']:.0f} ms; the")
    out(f"    request itself, with its own time-zone GET, client and write: {parts['request']:.0f} ms)")
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
    ours, floor = interleaved(
        runs,
        lambda i: spawn([*argv, str(i)], env),
        lambda i: spawn([sys.executable, "-c", CHILD_FLOOR_SDK, str(event_file)], env))
    row = summarize_pair("help", ours, floor)
    print_pair(row, "a one-handler ask-sdk skill answering the same envelope (import, build, one request)",
               TARGETS["help"])
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
