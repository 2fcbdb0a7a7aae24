"""A DynamoDB-compatible endpoint on loopback for local runs (moto's server), with the skill's table.

Items are saved to data/local-table.json (git-ignored) when the console exits and loaded when it
starts, so history survives between runs. ``--fresh`` on the console, or deleting that file,
starts from nothing.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "local-table.json"
TABLE_NAME = "leg-cramp-helper-local"
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


def start_server():
    """moto's DynamoDB-compatible server on a free loopback port: (server, endpoint URL)."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log on the console
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


@contextmanager
def local_table(fresh: bool = False, data_file: Path = DATA_FILE):
    """Start moto's server on loopback, create and load the table, point the skill at it.

    Yields (endpoint_url, client). On exit the items are written back to ``data_file``.
    """
    import boto3

    for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                       "AWS_DEFAULT_REGION": REGION}.items():
        os.environ.setdefault(key, value)
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
        os.environ.update(CRAMP_TABLE_NAME=TABLE_NAME, CRAMP_TABLE_REGION=REGION,
                          DYNAMODB_ENDPOINT_URL=endpoint)
        yield endpoint, client
        data_file.parent.mkdir(parents=True, exist_ok=True)
        data_file.write_text(json.dumps(all_items(client, TABLE_NAME), indent=1), encoding="utf-8")
    finally:
        server.stop()
