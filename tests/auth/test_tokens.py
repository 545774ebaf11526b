"""API tokens against the real Neo4j: create, list, revoke, verify, and what is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from integraph.auth.principal import NotAuthenticated, Principal, Role
from integraph.auth.tokens import (
    LAST_USED_RESOLUTION,
    TokenError,
    UnknownToken,
    create_token,
    list_tokens,
    revoke_token,
    verify_token,
)
from integraph.store.driver import Store


async def stored_nodes(store: Store) -> list[dict[str, object]]:
    return await store.read_transaction(
        lambda tx: tx.run_text("MATCH (t:ApiToken) RETURN properties(t) AS props ORDER BY t.id")
    )


async def test_a_created_token_verifies_as_its_principal(graph: Store) -> None:
    created = await create_token(
        graph, name="ci", role="editor", blueprints=["shop", "crm"], created_by="local:ann"
    )
    assert created.token == f"igt_{created.info.id}_{created.token.split('_', 2)[2]}"
    assert len(created.info.id) == 12
    assert created.info.role is Role.EDITOR
    assert created.info.blueprints == ("crm", "shop")
    assert created.info.created_by == "local:ann"
    assert created.info.status() == "active"
    assert created.token not in repr(created)

    principal = await verify_token(graph, created.token)
    assert principal == Principal(
        name="token:ci",
        role=Role.EDITOR,
        blueprints=frozenset({"shop", "crm"}),
        via="token",
        token_id=created.info.id,
    )


async def test_only_a_salted_hash_is_stored(graph: Store) -> None:
    created = await create_token(graph, name="ci", role="admin", created_by="local")
    secret = created.token.split("_", 2)[2]
    (node,) = [row["props"] for row in await stored_nodes(graph)]
    assert set(node) >= {"id", "name", "role", "salt", "hash", "created", "created_by"}
    for value in node.values():
        assert secret not in str(value)
        assert created.token not in str(value)
    assert len(node["hash"]) == 64 and len(node["salt"]) == 32  # hex of sha256, 16 bytes

    other = await create_token(graph, name="other", role="admin", created_by="local")
    nodes = {row["props"]["id"]: row["props"] for row in await stored_nodes(graph)}
    assert nodes[created.info.id]["salt"] != nodes[other.info.id]["salt"]


async def test_list_shows_every_token_without_secrets(graph: Store) -> None:
    first = await create_token(graph, name="a", role="reader", created_by="local")
    second = await create_token(
        graph, name="b", role="approver", expires=date(2999, 1, 1), created_by="local"
    )
    await revoke_token(graph, "a", by="local:ann")
    tokens = await list_tokens(graph)
    assert [t.id for t in tokens] == [first.info.id, second.info.id]
    revoked, live = tokens
    assert revoked.status() == "revoked" and revoked.revoked_by == "local:ann"
    assert live.status() == "active" and live.expires == date(2999, 1, 1)
    assert live.status(today=date(2999, 1, 2)) == "expired"
    assert not any(hasattr(t, "hash") or hasattr(t, "salt") for t in tokens)


async def test_names_are_unique_among_tokens_not_revoked(graph: Store) -> None:
    await create_token(graph, name="ci", role="reader", created_by="local")
    with pytest.raises(TokenError, match="an API token named 'ci' exists and is not revoked"):
        await create_token(graph, name="ci", role="admin", created_by="local")
    await revoke_token(graph, "ci", by="local")
    again = await create_token(graph, name="ci", role="admin", created_by="local")
    assert (await verify_token(graph, again.token)).role is Role.ADMIN


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"role": "owner"}, "unknown role 'owner': use one of reader, editor, approver, admin"),
        ({"name": "has space"}, "'has space' is not a token name"),
        ({"name": "0123456789ab"}, "would read as a token id"),
        ({"blueprints": ["Shop"]}, "not a blueprint id: 'Shop'"),
        ({"blueprints": []}, "an empty blueprint scope allows no change"),
        ({"role": "admin", "blueprints": ["shop"]}, "admin tokens cannot be scoped"),
        ({"role": "reader", "blueprints": ["shop"]}, "reader tokens cannot be scoped"),
        ({"expires": date(2000, 1, 1)}, "the expiry date 2000-01-01 is already past"),
    ],
)
async def test_bad_requests_are_refused(
    graph: Store, arguments: dict[str, object], message: str
) -> None:
    request: dict[str, object] = {"name": "ci", "role": "editor", "created_by": "local"}
    request.update(arguments)
    with pytest.raises(TokenError, match=message) as caught:
        await create_token(graph, **request)  # type: ignore[arg-type]
    assert caught.value.exit_code == 2
    assert await list_tokens(graph) == []


async def test_revoke_by_id_or_name_and_unknown(graph: Store) -> None:
    created = await create_token(graph, name="ci", role="editor", created_by="local")
    with pytest.raises(UnknownToken, match="no API token has the id or name 'nope'") as caught:
        await revoke_token(graph, "nope", by="local")
    assert caught.value.exit_code == 2
    info = await revoke_token(graph, created.info.id, by="local:ann")
    assert info.revoked is not None and info.status() == "revoked"
    with pytest.raises(TokenError, match=r"'ci' \(\w{12}\) was already revoked on \d{4}-"):
        await revoke_token(graph, created.info.id, by="local")
    with pytest.raises(TokenError, match="was already revoked"):
        await revoke_token(graph, "ci", by="local")


async def test_a_token_is_valid_through_its_expiry_day_in_utc(graph: Store) -> None:
    created = await create_token(
        graph, name="ci", role="reader", expires=date(2999, 3, 31), created_by="local"
    )
    last_moment = datetime(2999, 3, 31, 23, 59, 59, tzinfo=UTC)
    assert (await verify_token(graph, created.token, now=last_moment)).role is Role.READER
    with pytest.raises(NotAuthenticated) as caught:
        await verify_token(graph, created.token, now=last_moment + timedelta(seconds=1))
    assert str(caught.value) == f"API token 'ci' ({created.info.id}) expired on 2999-03-31"


async def test_each_refusal_says_why(graph: Store) -> None:
    created = await create_token(graph, name="ci", role="editor", created_by="local")
    _, token_id, secret = created.token.split("_", 2)
    other_secret = ("A" if secret[0] != "A" else "B") + secret[1:]
    refusals = {
        "": "malformed API token: expected igt_<id>_<secret>",
        "igt_short_x": "malformed API token: expected igt_<id>_<secret>",
        f"igt_{token_id}_{secret}x": "malformed API token: expected igt_<id>_<secret>",
        f"igt_ffffffffffff_{secret}": "unknown API token ffffffffffff",
        f"igt_{token_id}_{other_secret}": f"wrong secret for API token {token_id}",
    }
    for presented, message in refusals.items():
        with pytest.raises(NotAuthenticated) as caught:
            await verify_token(graph, presented)
        assert str(caught.value) == message
        assert secret not in str(caught.value)

    await revoke_token(graph, "ci", by="local")
    with pytest.raises(NotAuthenticated) as caught:
        await verify_token(graph, created.token)
    today = datetime.now(UTC).date().isoformat()
    assert str(caught.value) == f"API token 'ci' ({token_id}) was revoked on {today}"
    assert caught.value.exit_code == 2


async def test_use_is_recorded_coarsely(graph: Store) -> None:
    created = await create_token(graph, name="ci", role="reader", created_by="local")
    assert (await list_tokens(graph))[0].last_used is None
    first = datetime(2990, 1, 1, 12, 0, tzinfo=UTC)
    await verify_token(graph, created.token, now=first)
    assert (await list_tokens(graph))[0].last_used == first
    await verify_token(graph, created.token, now=first + LAST_USED_RESOLUTION / 2)
    assert (await list_tokens(graph))[0].last_used == first  # not written again so soon
    later = first + LAST_USED_RESOLUTION * 2
    await verify_token(graph, created.token, now=later)
    assert (await list_tokens(graph))[0].last_used == later
