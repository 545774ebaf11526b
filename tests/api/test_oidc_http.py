"""OIDC bearer JWTs through the app: accepted with their role and scope, refused with 401 for a
wrong issuer, audience, signature or expiry; a reader's JWT cannot mutate."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from integraph.api.app import build_app
from integraph.context import AppContext
from tests.auth.test_oidc import Issuer, claims, issuer, settings  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("knowledge")
QUERY = {"query": "{ systems(first: 1) { totalCount } }"}


@pytest.fixture
async def post(app_context: AppContext, issuer: Issuer) -> Any:  # noqa: F811
    context = AppContext(
        settings=settings(issuer.url), lint_config=app_context.lint_config, store=app_context.store
    )
    transport = httpx.ASGITransport(app=build_app(context=context))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:

        async def send(token: str, body: dict[str, Any] = QUERY) -> httpx.Response:
            return await http.post(
                "/graphql", json=body, headers={"Authorization": f"Bearer {token}"}
            )

        yield send


async def test_a_valid_jwt_reads(post, issuer: Issuer) -> None:  # noqa: F811
    response = await post(issuer.sign(claims(roles=["reader"])))
    assert response.status_code == 200
    assert response.json()["data"]["systems"]["totalCount"] > 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"iss": "https://evil.example"}, "issued by"),
        ({"aud": "someone-else"}, "audience"),
        ({"exp": int(time.time()) - 3600}, "expired"),
    ],
)
async def test_wrong_issuer_audience_or_expiry_is_401(post, issuer, changes, message) -> None:  # noqa: F811
    response = await post(issuer.sign(claims(**changes)))
    assert response.status_code == 401
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert message in error["message"].lower()


async def test_a_wrong_signature_is_401(post, issuer: Issuer) -> None:  # noqa: F811
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = await post(issuer.sign(claims(), key=other))
    assert response.status_code == 401
    assert "signature" in response.json()["errors"][0]["message"].lower()


async def test_a_reader_jwt_cannot_mutate(post, issuer: Issuer) -> None:  # noqa: F811
    mutation = {"query": 'mutation { deleteElement(id: "landscape:payments") { ok } }'}
    response = await post(issuer.sign(claims(roles=["reader"])), mutation)
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    check = await post(
        issuer.sign(claims(roles=["reader"])),
        {"query": '{ system(id: "landscape:payments") { id } }'},
    )
    assert check.json()["data"]["system"] == {"id": "landscape:payments"}
