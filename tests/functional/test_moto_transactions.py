"""The test kit's moto keeps DynamoDB's transaction promise: all or nothing. (It backs up only
the items a transaction names instead of copying the whole table; these tests hold it to what the
skill relies on when a guarded write is cancelled.)"""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from testkit.world import REGION, TABLE, moto_table


@pytest.fixture
def client():
    with moto_table():
        yield boto3.client("dynamodb", region_name=REGION)


def _key(sk: str) -> dict:
    return {"pk": {"S": "user#one"}, "sk": {"S": sk}}


def _item(client, sk: str) -> dict | None:
    return client.get_item(TableName=TABLE, Key=_key(sk), ConsistentRead=True).get("Item")


def _put(sk: str, **attrs) -> dict:
    return {"Put": {"TableName": TABLE, "Item": _key(sk) | attrs}}


def _fails(sk: str) -> dict:
    return {"ConditionCheck": {"TableName": TABLE, "Key": _key(sk),
                               "ConditionExpression": "attribute_exists(pk)"}}


def _bump(sk: str, value: str) -> dict:
    return {"Update": {"TableName": TABLE, "Key": _key(sk), "UpdateExpression": "SET v = :v",
                       "ExpressionAttributeValues": {":v": {"S": value}}}}


def test_a_cancelled_transaction_leaves_every_item_as_it_was(client):
    client.put_item(TableName=TABLE, Item=_key("episode#1") | {"v": {"S": "before"}})
    client.put_item(TableName=TABLE, Item=_key("elsewhere") | {"v": {"S": "untouched"}})

    with pytest.raises(ClientError, match="TransactionCanceled"):
        client.transact_write_items(TransactItems=[
            _bump("episode#1", "after"), _put("episode#2", v={"S": "new"}), _fails("missing")])

    assert _item(client, "episode#1")["v"] == {"S": "before"}  # an update in place, undone
    assert _item(client, "episode#2") is None  # a new item, never there
    assert _item(client, "elsewhere")["v"] == {"S": "untouched"}


def test_a_committed_transaction_changes_its_items_and_only_them(client):
    client.put_item(TableName=TABLE, Item=_key("episode#1") | {"v": {"S": "before"}})
    client.put_item(TableName=TABLE, Item=_key("elsewhere") | {"v": {"S": "untouched"}})

    client.transact_write_items(TransactItems=[_bump("episode#1", "after"),
                                               _put("episode#2", v={"S": "new"})])

    assert _item(client, "episode#1")["v"] == {"S": "after"}
    assert _item(client, "episode#2")["v"] == {"S": "new"}
    assert _item(client, "elsewhere")["v"] == {"S": "untouched"}


def test_naming_one_item_twice_is_refused_and_changes_nothing(client):
    client.put_item(TableName=TABLE, Item=_key("episode#1") | {"v": {"S": "before"}})

    with pytest.raises(ClientError, match="ValidationException"):
        client.transact_write_items(TransactItems=[_bump("episode#1", "one"), _bump("episode#1", "two")])

    assert _item(client, "episode#1")["v"] == {"S": "before"}
