"""OIDC bearer tokens: signed here with keys made here, their JWKS served on loopback."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from integraph.auth.oidc import OidcVerifier, default_jwks_url, looks_like_jwt
from integraph.auth.principal import NotAuthenticated, Principal, Role
from integraph.config import Settings, load_settings
from integraph.errors import ConfigurationError

ISSUER = "https://login.example.test/realms/bank"
AUDIENCE = "integraph"


@dataclass
class Issuer:
    """Signing keys and the JWKS endpoint publishing the public halves."""

    rsa_key: rsa.RSAPrivateKey
    ec_key: ec.EllipticCurvePrivateKey
    url: str
    fetches: list[str] = field(default_factory=list)

    def sign(self, claims: dict[str, Any], *, kid: str = "rsa-1", key: Any = None) -> str:
        algorithm = "ES256" if kid.startswith("ec") else "RS256"
        chosen = key or (self.ec_key if algorithm == "ES256" else self.rsa_key)
        return jwt.encode(claims, chosen, algorithm=algorithm, headers={"kid": kid})


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "3f1c-77",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "roles": ["editor"],
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    keys = []
    for kid, public, algorithm in (
        ("rsa-1", RSAAlgorithm.to_jwk(rsa_key.public_key(), as_dict=True), "RS256"),
        ("ec-1", ECAlgorithm.to_jwk(ec_key.public_key(), as_dict=True), "ES256"),
    ):
        keys.append({**public, "kid": kid, "alg": algorithm, "use": "sig"})
    body = json.dumps({"keys": keys}).encode()
    fetches: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetches.append(self.path)
            if self.path != "/jwks.json":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
        yield Issuer(rsa_key, ec_key, url, fetches)
    finally:
        server.shutdown()
        server.server_close()


def settings(url: str, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "oidc_issuer": ISSUER,
        "oidc_audience": AUDIENCE,
        "oidc_jwks_url": url,
    }
    values.update(changes)
    return load_settings(**values)


@pytest.fixture
def verifier(issuer: Issuer) -> OidcVerifier:
    return OidcVerifier(settings(issuer.url))


def refusal(verifier: OidcVerifier, token: str) -> str:
    with pytest.raises(NotAuthenticated) as caught:
        verifier.verify(token)
    return str(caught.value)


def test_a_valid_token_gives_its_principal(issuer: Issuer, verifier: OidcVerifier) -> None:
    token = issuer.sign(claims(roles=["reader", "approver", "auditor"]))
    assert verifier.verify(token) == Principal(
        name="oidc:3f1c-77", role=Role.APPROVER, blueprints=None, via="oidc"
    )
    named = issuer.sign(claims(preferred_username="ann", roles="Admin"))
    assert verifier.verify(named) == Principal(name="oidc:ann", role=Role.ADMIN, via="oidc")


def test_es256_is_accepted(issuer: Issuer, verifier: OidcVerifier) -> None:
    assert verifier.verify(issuer.sign(claims(), kid="ec-1")).role is Role.EDITOR


async def test_verify_async_runs_in_a_thread(issuer: Issuer, verifier: OidcVerifier) -> None:
    principal = await verifier.verify_async(issuer.sign(claims()))
    assert principal.name == "oidc:3f1c-77"


def test_the_key_set_is_fetched_once_and_cached(issuer: Issuer, verifier: OidcVerifier) -> None:
    before = len(issuer.fetches)
    for _ in range(3):
        verifier.verify(issuer.sign(claims()))
    assert len(issuer.fetches) == before + 1


def test_scoped_blueprints_claim(issuer: Issuer, verifier: OidcVerifier) -> None:
    scoped = verifier.verify(issuer.sign(claims(integraph_blueprints=["shop", "crm"])))
    assert scoped.blueprints == frozenset({"shop", "crm"})
    assert scoped.may_change("shop") and not scoped.may_change("ledger")
    one = verifier.verify(issuer.sign(claims(integraph_blueprints="shop")))
    assert one.blueprints == frozenset({"shop"})
    none = verifier.verify(issuer.sign(claims(integraph_blueprints=[])))
    assert none.blueprints == frozenset() and not none.may_change("shop")
    bad = refusal(verifier, issuer.sign(claims(integraph_blueprints={"shop": True})))
    assert bad == "the token's claim 'integraph_blueprints' is not a list of blueprint ids"


def test_claim_names_are_settings_and_may_be_nested(issuer: Issuer) -> None:
    keycloak = OidcVerifier(
        settings(issuer.url, oidc_roles_claim="realm_access.roles", oidc_blueprints_claim="bp")
    )
    token = issuer.sign(claims(roles=None, realm_access={"roles": ["editor"]}, bp=["shop"]))
    principal = keycloak.verify(token)
    assert principal.role is Role.EDITOR and principal.blueprints == frozenset({"shop"})
    auth0 = OidcVerifier(settings(issuer.url, oidc_roles_claim="https://integraph.test/roles"))
    token = issuer.sign(claims(roles=None, **{"https://integraph.test/roles": ["admin"]}))
    assert auth0.verify(token).role is Role.ADMIN


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"iss": "https://evil.test"}, f"issued by 'https://evil.test', not by '{ISSUER}'"),
        ({"aud": "other-app"}, "meant for audience 'other-app', not 'integraph'"),
        ({"exp": int(time.time()) - 120}, "the bearer token expired at 20"),
        ({"nbf": int(time.time()) + 600}, "the bearer token is not valid before 20"),
        ({"sub": None}, "the bearer token lacks the claim 'sub'"),
        ({"exp": None}, "the bearer token lacks the claim 'exp'"),
        ({"roles": None}, "the token carries no Integraph role in claim 'roles'"),
        ({"roles": ["auditor", 7]}, "the token carries no Integraph role in claim 'roles'"),
    ],
)
def test_refusals_say_why(
    issuer: Issuer, verifier: OidcVerifier, changes: dict[str, Any], message: str
) -> None:
    assert message in refusal(verifier, issuer.sign(claims(**changes)))


def test_small_clock_skew_is_tolerated(issuer: Issuer, verifier: OidcVerifier) -> None:
    now = int(time.time())
    assert verifier.verify(issuer.sign(claims(exp=now - 5, nbf=now + 5))).role is Role.EDITOR


def test_a_signature_by_another_key_with_the_same_kid_is_refused(
    issuer: Issuer, verifier: OidcVerifier
) -> None:
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    message = refusal(verifier, issuer.sign(claims(), key=impostor))
    assert message == "the bearer token's signature does not verify with the issuer's key 'rsa-1'"


def test_an_unknown_key_id_is_refused(issuer: Issuer, verifier: OidcVerifier) -> None:
    message = refusal(verifier, issuer.sign(claims(), kid="rsa-9"))
    assert message == (
        f"the bearer token is signed with key 'rsa-9', which the issuer does not publish "
        f"at {issuer.url}"
    )


def test_a_key_used_with_the_wrong_algorithm_is_refused(
    issuer: Issuer, verifier: OidcVerifier
) -> None:
    # signed RS256 by the right RSA key, but naming the EC key: its algorithm is ES256
    token = jwt.encode(claims(), issuer.rsa_key, algorithm="RS256", headers={"kid": "ec-1"})
    assert "the bearer token's algorithm is refused" in refusal(verifier, token)


def test_unsigned_and_shared_secret_tokens_are_refused(verifier: OidcVerifier) -> None:
    unsigned = jwt.encode(claims(), None, algorithm="none")
    assert refusal(verifier, unsigned) == (
        "the bearer token is signed with 'none'; Integraph accepts RS256 and ES256 only"
    )
    shared = jwt.encode(claims(), "a-secret-of-at-least-32-bytes-long!", algorithm="HS256")
    assert refusal(verifier, shared).startswith("the bearer token is signed with 'HS256'")
    no_kid = jwt.encode(claims(), rsa.generate_private_key(65537, 2048), algorithm="RS256")
    assert refusal(verifier, no_kid) == "the bearer token names no signing key (kid)"


def test_malformed_tokens(verifier: OidcVerifier) -> None:
    assert refusal(verifier, "igt_0123456789ab_x") == "the bearer token is not a JWT"
    assert refusal(verifier, "abc.def.ghi") == "the bearer token is a malformed JWT"


def test_an_unreachable_key_set_is_said(issuer: Issuer) -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/jwks.json"
    message = refusal(OidcVerifier(settings(url)), issuer.sign(claims()))
    assert message.startswith(f"cannot fetch the issuer's signing keys from {url}: ")


def test_looks_like_jwt() -> None:
    assert looks_like_jwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
    assert looks_like_jwt("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")  # unsigned: still a JWT
    for text in ("igt_0123456789ab_" + "A" * 43, "", "a.b", "a.b.c.d", "a b.c.d", "a.+.c"):
        assert not looks_like_jwt(text)


def test_settings() -> None:
    assert default_jwks_url(ISSUER + "/") == ISSUER + "/.well-known/jwks.json"
    assert OidcVerifier(settings("", oidc_jwks_url=None)).jwks_url == default_jwks_url(ISSUER)
    with pytest.raises(ConfigurationError, match="OIDC is off"):
        OidcVerifier(load_settings(oidc_issuer=None))
    with pytest.raises(ConfigurationError, match="INTEGRAPH_OIDC_AUDIENCE is required"):
        OidcVerifier(load_settings(oidc_issuer=ISSUER, oidc_audience=None))
    with pytest.raises(ConfigurationError, match="INTEGRAPH_OIDC_JWKS_URL file:///etc/passwd"):
        OidcVerifier(settings("file:///etc/passwd"))
