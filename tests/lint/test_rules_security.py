"""Security rules: each with positive and negative fixtures against the real Neo4j."""

from __future__ import annotations

from pathlib import Path

from integraph.lint.config import LintConfig
from integraph.store.driver import Store
from tests.lint.harness import findings_of


def _system(system_id: str, zone: str = "internal", **extra: object) -> dict[str, object]:
    return {"id": system_id, "name": system_id.title(), "trust_zone": zone, **extra}


async def test_sec01_credential_held_by_two_systems(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-01",
        {
            "systems": [_system("shop"), _system("billing")],
            "credentials": [
                {
                    "id": "cred-a",
                    "kind": "api_key",
                    "secret_ref": "vault://kv/a",
                    "held_by": ["shop", "billing"],
                }
            ],
        },
    )
    assert found == [("cred-a", ("billing", "shop"))]


async def test_sec01_one_holder_each_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-01",
        {
            "systems": [_system("shop"), _system("billing")],
            "credentials": [
                {
                    "id": "cred-a",
                    "kind": "api_key",
                    "secret_ref": "vault://kv/a",
                    "held_by": ["shop"],
                },
                {
                    "id": "cred-b",
                    "kind": "mtls",
                    "secret_ref": "vault://kv/b",
                    "held_by": ["billing"],
                },
            ],
        },
    )
    assert found == []


# Helpers for SEC-02 onwards: small builders so each test shows only what matters to its rule.


def _cred(cred_id: str, kind: str, **extra: object) -> dict[str, object]:
    return {"id": cred_id, "kind": kind, "secret_ref": f"vault://kv/{cred_id}", **extra}


def _flow(flow_id: str, source: str, target: str, **extra: object) -> dict[str, object]:
    return {
        "id": flow_id,
        "source": source,
        "target": target,
        "pattern": "request_response",
        **extra,
    }


def _field(path: str, classification: str | None = None) -> dict[str, object]:
    field: dict[str, object] = {"path": path, "type": "string"}
    if classification is not None:
        field["classification"] = classification
    return field


def _version(version: str) -> dict[str, object]:
    return {
        "version": version,
        "request": [_field("/card/pan", "pci-pan"), _field("/amount")],
        "response": [_field("/customer/email", "pii-contact"), _field("/status")],
    }


PAY_API = {"id": "pay-api", "kind": "openapi", "versions": [_version("1.0.0"), _version("2.0.0")]}
HEALTH_API = {
    "id": "health-api",
    "kind": "asyncapi",
    "versions": [{"version": "1", "message": [_field("/diagnosis", "phi-record")]}],
}
CLASSIFICATIONS = [
    {
        "id": "pci-pan",
        "category": "pci",
        "regulations": ["PCI-DSS"],
        "masking_required": True,
        "audit_required": True,
        "min_audit_retention_days": 365,
    },
    {"id": "pii-contact", "category": "pii", "regulations": ["GDPR"], "masking_required": True},
    {"id": "phi-record", "category": "phi", "regulations": ["hipaa"]},
    {"id": "public-info", "category": "public"},
]
PUBLIC_API = {
    "id": "catalog-api",
    "kind": "openapi",
    "versions": [{"version": "1", "response": [_field("/name", "public-info")]}],
}


def _pay(flow_id: str, source: str, target: str, **extra: object) -> dict[str, object]:
    """A flow using pay-api 2.0.0 (producer) and 1.0.0 (consumer)."""
    return _flow(
        flow_id,
        source,
        target,
        contract="pay-api",
        producer_version="2.0.0",
        consumer_version="1.0.0",
        **extra,
    )


DATA_SYSTEMS = [
    _system("shop", "public"),
    _system("payments", "regulated"),
    _system("ledger", "regulated"),
    _system("processor", "regulated", external=True),
    _system("clinic", "internal"),
    _system("records", "internal"),
]


def _data(flows: list[dict[str, object]], **extra: object) -> dict[str, object]:
    return {
        "systems": DATA_SYSTEMS,
        "classifications": CLASSIFICATIONS,
        "contracts": [PAY_API, HEALTH_API, PUBLIC_API],
        "flows": flows,
        **extra,
    }


PAN = ("pay-api@1.0.0#request/card/pan", "pay-api@2.0.0#request/card/pan")
EMAIL = ("pay-api@1.0.0#response/customer/email", "pay-api@2.0.0#response/customer/email")


# SEC-02: API key or basic auth across trust zones


async def test_sec02_static_secrets_across_zones(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-02",
        {
            "systems": [
                _system("shop", "public"),
                _system("billing"),
                _system("crm"),
                _system("bank", "partner", external=True),
                _system("broker", "partner", external=True),
            ],
            "credentials": [
                _cred("key-shop", "api_key"),
                _cred("basic-bank", "basic"),
                _cred("key-crm", "api_key"),
            ],
            "flows": [
                _flow("shop-to-billing", "shop", "billing", credential="key-shop"),
                _flow("broker-to-bank", "broker", "bank", credential="basic-bank"),
                _flow("crm-to-billing", "crm", "billing", credential="key-crm"),
            ],
        },
    )
    assert found == [("broker-to-bank", ("basic-bank",)), ("shop-to-billing", ("key-shop",))]


async def test_sec02_mtls_across_zones_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-02",
        {
            "systems": [_system("shop", "public"), _system("billing"), _system("crm")],
            "credentials": [_cred("cert-shop", "mtls"), _cred("key-crm", "api_key")],
            "flows": [
                _flow("shop-to-billing", "shop", "billing", credential="cert-shop"),
                _flow("crm-to-billing", "crm", "billing", credential="key-crm"),
            ],
        },
    )
    assert found == []


# SEC-03: bearer token across zones not sender-constrained


async def test_sec03_unbound_tokens_across_zones(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-03",
        {
            "systems": [
                _system("shop", "public"),
                _system("billing"),
                _system("bank", "internal", external=True),
            ],
            "credentials": [
                _cred("cc-shop", "oauth2_client_credentials", grant_type="client_credentials"),
                _cred("jwt-billing", "jwt_bearer", sender_constraint="none"),
            ],
            "flows": [
                _flow(
                    "shop-to-billing",
                    "shop",
                    "billing",
                    credential="cc-shop",
                    transport_encryption="mtls",
                ),
                _flow("billing-to-bank", "billing", "bank", credential="jwt-billing"),
            ],
        },
    )
    assert found == [("billing-to-bank", ("jwt-billing",)), ("shop-to-billing", ("cc-shop",))]


async def test_sec03_bound_tokens_or_same_zone_are_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-03",
        {
            "systems": [
                _system("shop", "public"),
                _system("billing"),
                _system("crm"),
                _system("bank", "internal", external=True),
            ],
            "credentials": [
                _cred("cc-shop", "oauth2_client_credentials", sender_constraint="mtls"),
                _cred("jwt-billing", "jwt_bearer", sender_constraint="dpop"),
                _cred("cc-crm", "oauth2_client_credentials"),
            ],
            "flows": [
                _flow("shop-to-billing", "shop", "billing", credential="cc-shop"),
                _flow("billing-to-bank", "billing", "bank", credential="jwt-billing"),
                _flow("crm-to-billing", "crm", "billing", credential="cc-crm"),
            ],
        },
    )
    assert found == []


# SEC-04: client credentials for a public client, or password grant


async def test_sec04_public_client_and_password_grant(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-04",
        {
            "credentials": [
                _cred(
                    "cc-public",
                    "oauth2_client_credentials",
                    grant_type="client_credentials",
                    public_client=True,
                ),
                _cred("cc-no-auth", "oauth2_client_credentials", client_auth="none"),
                _cred("ropc", "jwt_bearer", grant_type="password"),
            ],
        },
    )
    assert found == [("cc-no-auth", ()), ("cc-public", ()), ("ropc", ())]


async def test_sec04_confidential_client_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-04",
        {
            "credentials": [
                _cred(
                    "cc-conf",
                    "oauth2_client_credentials",
                    grant_type="client_credentials",
                    client_auth="private_key_jwt",
                ),
                _cred(
                    "code-public", "jwt_bearer", grant_type="authorization_code", public_client=True
                ),
            ],
        },
    )
    assert found == []


# SEC-05: token lifetime, audience, scopes, refresh token


async def test_sec05_token_problems(graph: Store, tmp_path: Path) -> None:
    sections = {
        "credentials": [
            _cred(
                "long-lived",
                "oauth2_client_credentials",
                token_lifetime_seconds=7200,
                audience=["payments-api"],
            ),
            _cred("no-audience", "jwt_bearer", token_lifetime_seconds=600),
            _cred(
                "admin-scope",
                "oauth2_client_credentials",
                audience=["orders-api"],
                scopes=["orders:read", "orders:admin"],
            ),
            _cred("wildcard", "api_key", scopes=["*"]),
            _cred(
                "refreshing",
                "oauth2_client_credentials",
                audience=["orders-api"],
                grant_type="client_credentials",
                refresh_token=True,
            ),
        ],
    }
    found = await findings_of(graph, tmp_path, "SEC-05", sections)
    assert found == [
        ("admin-scope", ()),
        ("long-lived", ()),
        ("no-audience", ()),
        ("refreshing", ()),
        ("wildcard", ()),
    ]


async def test_sec05_tight_tokens_are_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-05",
        {
            "credentials": [
                _cred(
                    "tight",
                    "oauth2_client_credentials",
                    grant_type="client_credentials",
                    token_lifetime_seconds=900,
                    audience=["payments-api"],
                    scopes=["payments:write", "install:read", "orders.read"],
                ),
                _cred("plain-key", "api_key"),
                _cred(
                    "code-flow",
                    "jwt_bearer",
                    grant_type="authorization_code",
                    audience=["orders-api"],
                    refresh_token=True,
                ),
            ],
        },
    )
    assert found == []


async def test_sec05_lifetime_limit_is_a_parameter(graph: Store, tmp_path: Path) -> None:
    config = LintConfig(parameters={"SEC-05": {"max_token_lifetime_seconds": 600}})
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-05",
        {
            "credentials": [
                _cred(
                    "cc",
                    "oauth2_client_credentials",
                    token_lifetime_seconds=900,
                    audience=["payments-api"],
                )
            ],
        },
        config=config,
    )
    assert found == [("cc", ())]


# SEC-06: rotation period


async def test_sec06_unrotated_or_overdue_credentials(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-06",
        {
            "credentials": [
                _cred("key-never", "api_key"),
                _cred("basic-slow", "basic", rotation_days=1000),
                _cred("cert-slow", "mtls", rotation_days=800),
                _cred(
                    "cc-secret",
                    "oauth2_client_credentials",
                    client_auth="client_secret_basic",
                    rotation_days=731,
                ),
            ],
        },
    )
    assert found == [("basic-slow", ()), ("cc-secret", ()), ("cert-slow", ()), ("key-never", ())]


async def test_sec06_rotation_within_cryptoperiod_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-06",
        {
            "credentials": [
                _cred("key", "api_key", rotation_days=90),
                _cred("cert", "mtls", rotation_days=365),
                _cred(
                    "cc-pkjwt",
                    "oauth2_client_credentials",
                    client_auth="private_key_jwt",
                    rotation_days=730,
                ),
                {"id": "anonymous", "kind": "none"},
            ],
        },
    )
    assert found == []


async def test_sec06_private_key_cryptoperiod_is_a_parameter(graph: Store, tmp_path: Path) -> None:
    config = LintConfig(parameters={"SEC-06": {"max_private_key_rotation_days": 365}})
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-06",
        {
            "credentials": [
                _cred("cert", "mtls", rotation_days=400),
                _cred("key", "api_key", rotation_days=400),
            ],
        },
        config=config,
    )
    assert found == [("cert", ())]


# SEC-07: unauthenticated flow


async def test_sec07_flows_without_authentication(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-07",
        {
            "systems": [_system("shop"), _system("billing")],
            "credentials": [{"id": "anonymous", "kind": "none"}],
            "flows": [
                _flow("anon-call", "shop", "billing"),
                _flow("none-call", "shop", "billing", credential="anonymous"),
            ],
        },
    )
    assert found == [("anon-call", ()), ("none-call", ("anonymous",))]


async def test_sec07_authenticated_flow_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-07",
        {
            "systems": [_system("shop"), _system("billing")],
            "credentials": [_cred("cert-shop", "mtls")],
            "flows": [_flow("call", "shop", "billing", credential="cert-shop")],
        },
    )
    assert found == []


# SEC-08: sensitive field across a trust boundary without masking


async def test_sec08_unmasked_sensitive_fields(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-08",
        _data(
            [
                # public -> regulated: the PAN goes out, the e-mail comes back, both unmasked.
                _pay("checkout", "shop", "payments", transport_encryption="tls"),
                # Names only the contract: every version's fields count.
                _flow("legacy-checkout", "shop", "payments", contract="pay-api"),
                # Same zone, but the PAN goes to a third party; masking "none" protects nothing.
                _pay(
                    "authorise",
                    "payments",
                    "processor",
                    masking=[{"field": "request/card/pan", "method": "none"}],
                ),
                # Same zone, no third party: nothing crosses.
                _pay("post-ledger", "payments", "ledger"),
            ]
        ),
    )
    # Findings of one element come in fingerprint order: compare them sorted.
    assert sorted(found) == [
        ("authorise", PAN),
        ("checkout", PAN),
        ("checkout", EMAIL),
        ("legacy-checkout", PAN),
        ("legacy-checkout", EMAIL),
    ]


async def test_sec08_masked_or_encrypted_fields_are_fine(graph: Store, tmp_path: Path) -> None:
    masking = [
        {"field": "request/card/pan", "method": "tokenised"},
        {"field": "response/customer/email", "method": "pseudonymised"},
    ]
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-08",
        _data(
            [
                # Masked in the producer version (2.0.0); the consumer version's match by key.
                _pay("checkout", "shop", "payments", masking=masking),
                _pay("authorise", "payments", "processor", transport_encryption="message"),
                # The e-mail comes back from the processor to payments, not to the third party.
                _pay(
                    "authorise-2",
                    "payments",
                    "processor",
                    masking=[{"field": "request/card/pan", "method": "encrypted"}],
                ),
            ]
        ),
    )
    assert found == []


async def test_sec08_respects_masking_required_false(graph: Store, tmp_path: Path) -> None:
    # Personal data whose classification says it need not be masked (a pseudonymous member
    # number) is not a finding; the e-mail beside it, which must be masked, still is.
    member = {
        "id": "pii-member-number",
        "category": "pii",
        "regulations": ["GDPR"],
        "masking_required": False,
    }
    loyalty = {
        "id": "loyalty-api",
        "kind": "openapi",
        "versions": [
            {
                "version": "1",
                "request": [
                    _field("/member/number", "pii-member-number"),
                    _field("/member/email", "pii-contact"),
                ],
            }
        ],
    }
    sections = _data(
        [
            _flow(
                "join-loyalty",
                "shop",
                "payments",
                contract="loyalty-api",
                producer_version="1",
                consumer_version="1",
            )
        ]
    )
    sections["classifications"] = [*CLASSIFICATIONS, member]
    sections["contracts"] = [PAY_API, HEALTH_API, PUBLIC_API, loyalty]
    found = await findings_of(graph, tmp_path, "SEC-08", sections)
    assert found == [("join-loyalty", ("loyalty-api@1#request/member/email",))]


# SEC-09: regulated data without transport encryption


async def test_sec09_regulated_data_unencrypted(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-09",
        _data(
            [
                _pay("checkout", "shop", "payments"),
                _flow(
                    "diagnosis",
                    "clinic",
                    "records",
                    pattern="event",
                    contract="health-api",
                    producer_version="1",
                    consumer_version="1",
                    transport_encryption="none",
                ),
            ]
        ),
    )
    assert found == [("checkout", ()), ("diagnosis", ())]


async def test_sec09_encrypted_or_unregulated_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-09",
        _data(
            [
                _pay("checkout", "shop", "payments", transport_encryption="tls"),
                _flow(
                    "diagnosis",
                    "clinic",
                    "records",
                    pattern="event",
                    contract="health-api",
                    producer_version="1",
                    consumer_version="1",
                    transport_encryption="message",
                ),
                _flow(
                    "catalog",
                    "shop",
                    "ledger",
                    contract="catalog-api",
                    producer_version="1",
                    consumer_version="1",
                ),
            ]
        ),
    )
    assert found == []


# SEC-10: regulated exchange without audit logging


async def test_sec10_audited_data_without_audit_logging(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-10",
        _data(
            [
                _pay("checkout", "shop", "payments"),
                # phi-record is not audit_required, but lists HIPAA (written "hipaa").
                _flow(
                    "diagnosis",
                    "clinic",
                    "records",
                    pattern="event",
                    contract="health-api",
                    producer_version="1",
                    consumer_version="1",
                    audit_logging=False,
                ),
            ]
        ),
    )
    assert found == [("checkout", ()), ("diagnosis", ())]


async def test_sec10_logged_or_unaudited_data_is_fine(graph: Store, tmp_path: Path) -> None:
    gdpr_only = {
        "id": "contacts-api",
        "kind": "openapi",
        "versions": [{"version": "1", "response": [_field("/email", "pii-contact")]}],
    }
    sections = _data(
        [
            _pay("checkout", "shop", "payments", audit_logging=True, audit_retention_days=400),
            _flow(
                "contacts",
                "shop",
                "ledger",
                contract="contacts-api",
                producer_version="1",
                consumer_version="1",
            ),
        ]
    )
    sections["contracts"] = [PAY_API, HEALTH_API, PUBLIC_API, gdpr_only]
    found = await findings_of(graph, tmp_path, "SEC-10", sections)
    assert found == []


# SEC-11: audit retention below the regulation's minimum


async def test_sec11_audit_retention_too_short(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-11",
        _data(
            [
                _pay("checkout", "shop", "payments", audit_logging=True, audit_retention_days=90),
                _pay("refund", "shop", "payments", audit_logging=True),
                _flow(
                    "diagnosis",
                    "clinic",
                    "records",
                    pattern="event",
                    contract="health-api",
                    producer_version="1",
                    consumer_version="1",
                    audit_logging=True,
                    audit_retention_days=400,
                ),
            ]
        ),
    )
    assert found == [("checkout", ()), ("diagnosis", ()), ("refund", ())]


async def test_sec11_long_enough_retention_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-11",
        _data(
            [
                _pay("checkout", "shop", "payments", audit_logging=True, audit_retention_days=400),
                _flow(
                    "diagnosis",
                    "clinic",
                    "records",
                    pattern="event",
                    contract="health-api",
                    producer_version="1",
                    consumer_version="1",
                    audit_logging=True,
                    audit_retention_days=2200,
                ),
                # Not audit-logged: SEC-10's concern, not this rule's.
                _pay("refund", "shop", "payments"),
            ]
        ),
    )
    assert found == []


# SEC-12: sensitive data to an external party without justification


async def test_sec12_unjustified_disclosure(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-12",
        _data(
            [
                # Tokenised, but still sent to the third party.
                _pay(
                    "authorise",
                    "payments",
                    "processor",
                    masking=[{"field": "request/card/pan", "method": "tokenised"}],
                ),
                # The third party calls us and receives the e-mail in the response.
                _pay("lookup", "processor", "payments", third_party_justification="   "),
            ],
            decisions=[
                {"id": "adr-1", "title": "Send PAN", "status": "proposed", "governs": ["authorise"]}
            ],
        ),
    )
    assert found == [("authorise", ()), ("lookup", ())]


async def test_sec12_justified_or_withheld_is_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-12",
        _data(
            [
                _pay(
                    "authorise",
                    "payments",
                    "processor",
                    third_party_justification="The processor authorises card payments.",
                ),
                _pay("authorise-2", "payments", "processor"),
                # The PAN is redacted (not sent); the e-mail comes back to us, not to the processor.
                _pay(
                    "authorise-3",
                    "payments",
                    "processor",
                    masking=[{"field": "request/card/pan", "method": "redacted"}],
                ),
                _pay("checkout", "shop", "payments"),
            ],
            decisions=[
                {
                    "id": "adr-1",
                    "title": "Send PAN",
                    "status": "accepted",
                    "governs": ["authorise-2"],
                }
            ],
        ),
    )
    assert found == []


# SEC-13: credential without a decision record


async def test_sec13_credentials_without_decision(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-13",
        {
            "credentials": [_cred("key-a", "api_key"), _cred("key-b", "api_key")],
            "decisions": [
                {"id": "adr-1", "title": "Use API keys", "status": "rejected", "governs": ["key-b"]}
            ],
        },
    )
    assert found == [("key-a", ()), ("key-b", ())]


async def test_sec13_governed_credentials_are_fine(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "SEC-13",
        {
            "credentials": [_cred("key-a", "api_key"), _cred("cert-b", "mtls")],
            "decisions": [
                {
                    "id": "adr-1",
                    "title": "Use API keys",
                    "status": "accepted",
                    "governs": ["key-a"],
                },
                {"id": "adr-2", "title": "Use mTLS", "status": "superseded", "governs": ["cert-b"]},
            ],
        },
    )
    assert found == []
