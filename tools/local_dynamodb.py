"""A DynamoDB- and SQS-compatible endpoint on loopback for local runs (moto's server), with the
skill's table, its write queue and that queue's dead-letter queue, all on the one server.

Items are saved to data/local-table.json (git-ignored) when the console exits and loaded when it
starts, so history survives between runs. ``--fresh`` on the console, or deleting that file,
starts from nothing. The pseudonym secret (CRAMP_KEY_SECRET) is made once, at random, and kept
beside it in data/local-table.key (git-ignored), so the same person finds the same history.

``drain_queue`` plays the part of Lambda's SQS event source: it receives what is queued, hands it
to the drain function (cramp_helper.drain.handler) as an SQS event, and deletes what the drain did
not report as failed. The console runs it after every turn; the tests run it when they choose.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import threading
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "local-table.json"
TABLE_NAME = "leg-cramp-helper-local"
QUEUE_NAME = "leg-cramp-helper-writes-local"
DEAD_LETTER_QUEUE_NAME = "leg-cramp-helper-writes-dlq-local"
LOCAL_KEY_ID = "local"
REGION = "us-east-1"


def create_table(client, name: str) -> None:
    """The table as template.yaml defines it: pk/sk strings, on-demand, TTL on expires_at."""
    client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.update_time_to_live(TableName=name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "expires_at"})


def create_queues(sqs, name: str = QUEUE_NAME, dead_letters: str = DEAD_LETTER_QUEUE_NAME,
                  visibility_s: int = 30) -> tuple[str, str]:
    """The write queue and its dead-letter queue as template.yaml defines them (five receives, then
    the dead letters): (queue URL, DLQ URL). Tests pass ``visibility_s=0`` so that a message the
    drain reported as failed is back at once, instead of after the visibility timeout."""
    dlq = sqs.create_queue(QueueName=dead_letters)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue = sqs.create_queue(QueueName=name, Attributes={
        "VisibilityTimeout": str(visibility_s),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})})["QueueUrl"]
    return queue, dlq


def drain_queue(sqs, queue_url: str, repository=None, handler=None, rounds: int = 20) -> dict:
    """Deliver what is queued to the drain as Lambda's event source would, until the queue is empty
    or ``rounds`` batches have run. Returns {"messages": delivered, "failed": reported failures}."""
    if handler is None:
        from cramp_helper.drain import handler
    delivered = failed = 0
    for _ in range(rounds):
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                    AttributeNames=["All"]).get("Messages", [])
        if not batch:
            break
        records = [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                    "attributes": m.get("Attributes", {}), "eventSource": "aws:sqs"} for m in batch]
        result = handler({"Records": records}, None, repository=repository)
        retry = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        delivered += len(batch)
        failed += len(retry)
        for message in batch:
            if message["MessageId"] not in retry:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if retry:
            break  # the rest waits for its visibility timeout, as in Lambda
    return {"messages": delivered, "failed": failed}


def local_secret(key_file: Path) -> str:
    """The local pseudonym secret: made once at random, kept in ``key_file`` (owner-only)."""
    if key_file.exists():
        secret = key_file.read_text(encoding="utf-8").strip()
        if len(secret) >= 32:
            return secret
    key_file.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    key_file.write_text(secret + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    return secret


def all_items(client, name: str) -> list[dict]:
    items, kwargs = [], {"TableName": name}
    while True:
        page = client.scan(**kwargs)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(serialised: bool = False):
    """moto's server (DynamoDB, SQS and the rest) on a free loopback port: (server, endpoint URL).

    ``serialised``: one request at a time. moto's backends are not thread-safe (under many threads
    its server answers HTTP 500 "dictionary changed size during iteration"), so a bench that
    measures the skill's own concurrency serialises the server, and the skill's threads still race
    each other over one warm handler and its connection pool."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log on the console
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    if serialised:
        app, lock = server._server.app, threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return list(app(environ, start_response))

        server._server.app = one_at_a_time
    return server, f"http://127.0.0.1:{port}"


SKILL_VARIABLES = ("CRAMP_TABLE_NAME", "CRAMP_TABLE_REGION", "DYNAMODB_ENDPOINT_URL", "CRAMP_QUEUE_URL",
                   "SQS_ENDPOINT_URL", "CRAMP_KEY_SECRET", "CRAMP_KEY_ID")


@contextmanager
def local_table(fresh: bool = False, data_file: Path = DATA_FILE):
    """Start moto's server on loopback, create and load the table, create the write queue and its
    dead-letter queue, make (or reuse) the local pseudonym secret, and point the skill at them.

    Yields (endpoint_url, client). On exit the items are written back to ``data_file`` and the
    skill's variables are put back as they were.
    """
    import boto3

    for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                       "AWS_DEFAULT_REGION": REGION}.items():
        os.environ.setdefault(key, value)
    saved = {name: os.environ.get(name) for name in SKILL_VARIABLES}
    server, endpoint = start_server()
    try:
        # moto keeps one backend per process: empty it, so the table is only what data_file holds.
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION)
        create_table(client, TABLE_NAME)
        if fresh and data_file.exists():
            data_file.unlink()
        if data_file.exists():
            for item in json.loads(data_file.read_text(encoding="utf-8")):
                client.put_item(TableName=TABLE_NAME, Item=item)
        queue, _ = create_queues(boto3.client("sqs", endpoint_url=endpoint, region_name=REGION))
        os.environ.update(CRAMP_TABLE_NAME=TABLE_NAME, CRAMP_TABLE_REGION=REGION,
                          DYNAMODB_ENDPOINT_URL=endpoint, CRAMP_QUEUE_URL=queue, SQS_ENDPOINT_URL=endpoint,
                          CRAMP_KEY_SECRET=local_secret(data_file.with_suffix(".key")),
                          CRAMP_KEY_ID=LOCAL_KEY_ID)
        yield endpoint, client
        data_file.parent.mkdir(parents=True, exist_ok=True)
        data_file.write_text(json.dumps(all_items(client, TABLE_NAME), indent=1), encoding="utf-8")
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
