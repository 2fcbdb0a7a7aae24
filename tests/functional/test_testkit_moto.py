"""The test kit's moto is moto, only faster: a transaction is still all or nothing (it backs up
only the items it names instead of copying the whole table), and the data calls answer exactly as
moto's own serialiser would (their results are written as the JSON they already are), and
conditions and updates are decided as before (each condition's words are read once; an update's
rule counts are taken at the top of its expression, not again below every node)."""

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


def test_the_data_calls_answer_as_motos_own_serialiser_would(client, monkeypatch):
    from moto.core.responses import ActionResult

    fast = ActionResult.execute_result
    client.put_item(TableName=TABLE, Item=_key("EP#1") | {
        "muscle": {"S": "CALF"}, "duration_s": {"N": "94"}, "completed": {"BOOL": True},
        "techniques": {"L": [{"S": "calf_toe_pull"}, {"N": "2.5"}]}, "gone": {"NULL": True},
        "voice": {"M": {"whisper": {"BOOL": False}, "at": {"S": "2026-12-07T03:00:00Z"}}}})
    second = _key("EP#2") | {"muscle": {"S": "FOOT"}}
    client.put_item(TableName=TABLE, Item=second)  # so each put below returns the same old item
    everyone = {":p": {"S": "user#one"}}
    calls = [
        ("query", {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": everyone}),
        ("get_item", {"Key": _key("EP#1"), "ProjectionExpression": "muscle, techniques"}),
        ("scan", {"Limit": 1}),
        ("update_item", {"Key": _key("EP#1"), "UpdateExpression": "SET muscle = :m",
                         "ReturnValues": "ALL_NEW", "ExpressionAttributeValues": {":m": {"S": "CALF"}}}),
        ("put_item", {"Item": second, "ReturnValues": "ALL_OLD"}),
        ("delete_item", {"Key": _key("EP#9"), "ReturnValues": "ALL_OLD"}),
    ]
    for name, kwargs in calls:
        ours = getattr(client, name)(TableName=TABLE, **kwargs)
        monkeypatch.setattr(ActionResult, "execute_result", fast.moto_serialiser)
        motos = getattr(client, name)(TableName=TABLE, **kwargs)
        monkeypatch.setattr(ActionResult, "execute_result", fast)
        ours.pop("ResponseMetadata"), motos.pop("ResponseMetadata")
        assert ours == motos, name
    assert client.query(**{"TableName": TABLE, **calls[0][1]})["Count"] == 2  # the fast path answered


# --- the expressions: each condition read once, an update's counts taken at its top ----------------
def test_a_condition_read_once_still_decides_each_call_on_its_own_values(client):
    client.put_item(TableName=TABLE, Item=_key("a") | {"n": {"N": "1"}})
    ask = {"TableName": TABLE, "Key": _key("a"), "UpdateExpression": "SET n = :new",
           "ConditionExpression": "n = :old"}
    client.update_item(**ask, ExpressionAttributeValues={":old": {"N": "1"}, ":new": {"N": "2"}})
    with pytest.raises(ClientError) as refused:  # the same words, now against a value that changed
        client.update_item(**ask, ExpressionAttributeValues={":old": {"N": "1"}, ":new": {"N": "3"}})
    assert refused.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert _item(client, "a")["n"] == {"N": "2"}
    with pytest.raises((ClientError, ValueError)):  # unreadable: refused as moto refuses it
        client.update_item(**{**ask, "ConditionExpression": "n = = :old"},
                           ExpressionAttributeValues={":old": {"N": "2"}, ":new": {"N": "4"}})
    assert _item(client, "a")["n"] == {"N": "2"}


@pytest.mark.parametrize("expression", ["SET a = :v, a = :v", "SET a.b = :v, a = :v",
                                        "SET x = :v ADD y :v ADD z :v"])
def test_an_update_that_breaks_the_rules_is_still_refused_and_writes_nothing(client, expression):
    client.put_item(TableName=TABLE, Item=_key("a"))
    with pytest.raises(ClientError, match="ValidationException|Invalid"):
        client.update_item(TableName=TABLE, Key=_key("a"), UpdateExpression=expression,
                           ExpressionAttributeValues={":v": {"N": "2"}})
    assert _item(client, "a") == _key("a")


def test_an_update_of_twenty_fields_sets_them_all(client):
    client.put_item(TableName=TABLE, Item=_key("a"))
    client.update_item(TableName=TABLE, Key=_key("a"),
                       UpdateExpression="SET " + ", ".join(f"f{i} = :v{i}" for i in range(20)),
                       ExpressionAttributeValues={f":v{i}": {"N": str(i)} for i in range(20)})
    assert _item(client, "a") == _key("a") | {f"f{i}": {"N": str(i)} for i in range(20)}
