"""Secret detection: what is rejected, and what ordinary blueprint text must not trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from integraph.blueprint.errors import BlueprintInvalid
from integraph.blueprint.parse import load_blueprint_files
from integraph.blueprint.secrets import find_secrets, secret_reason
from integraph.model import Landscape

# Built by concatenation so that no scanner mistakes this test file for a leak.
PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----"
JWT = (
    "eyJhbGciOiJIUzI1NiJ9"
    + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0"
    + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
)
AWS_KEY_ID = "AKIA" + "IOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
GITHUB_PAT = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnop"
SLACK = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOp"


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("description", f"key:\n{PEM}", "a PEM private key"),
        ("description", f"call with {JWT}", "a JSON Web Token"),
        ("revocation", "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "a bearer token"),
        ("description", f"uses {AWS_KEY_ID}", "an AWS access key id"),
        ("description", f"aws_secret_access_key = {AWS_SECRET}", "an AWS secret access key"),
        ("issuer", GITHUB, "a GitHub token"),
        ("issuer", GITHUB_PAT, "a GitHub token"),
        ("route", SLACK, "a Slack token"),
        ("route", "https://hooks.slack.com/services/T000/B000/XXXX", "a Slack webhook URL"),
        (
            "schema_ref",
            "https://bob:hunter22@repo.example.com/api.yaml",
            "a URL with an embedded password",
        ),
        (
            "description",
            "jdbc:postgresql://db/app?user=app&password=Tr0ub4dor",
            "an inline password or key assignment",
        ),
    ],
)
def test_known_secret_shapes_anywhere(key: str, value: str, reason: str) -> None:
    assert secret_reason(key, value) == reason


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("password", "hunter2"),
        ("client_secret", "abc"),
        ("api_key", "0123456789"),
        ("db_password", "correct horse battery staple"),
        ("token", 123456),
        ("secret_ref", "s3cr3t"),
    ],
)
def test_literal_values_in_secret_fields(key: str, value: object) -> None:
    reason = secret_reason(key, value)
    assert reason is not None and "literal secret" in reason


def test_high_entropy_value_in_a_secretish_field() -> None:
    reason = secret_reason("signing_key", "Zx9Qm2Lp7Vt4Rk8Wn3Hy6Jc1")
    assert reason is not None and "high-entropy" in reason


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("secret_ref", "vault://kv/shop/payments-client"),
        ("secret_ref", "aws-sm://prod/payments/api-key"),
        ("password", "env://DB_PASSWORD"),
        ("id", "cred-orders-billing-2024"),
        ("id", "3f2b9c1e7a6d4b0f8e2c5a9d1b7e4f6a"),
        ("description", "Uses OAuth2 bearer tokens with a 1h lifetime and Basic auth fallback."),
        ("description", "Rotate the API key every 90 days; the secret lives in Vault."),
        ("key", "Idempotency-Key"),
        ("client_auth", "self_signed_tls_client_auth"),
        ("token_lifetime_seconds", 3600),
        ("refresh_token", False),
        ("path", "/card/token"),
        ("field", "request/auth/token"),
        ("route", "pagerduty://payments-oncall"),
        ("schema_ref", "https://repo.example.com/contracts/payments-api-2.0.0.yaml"),
        ("signing_key", "payments-signing-key-v2"),
        ("password", ""),
    ],
)
def test_ordinary_values_are_not_secrets(key: str, value: object) -> None:
    assert secret_reason(key, value) is None


def test_find_secrets_walks_nested_data_and_reports_locations() -> None:
    data = {"versions": [{"request": [{"path": "/a", "description": f"e.g. {GITHUB}"}]}]}
    [finding] = find_secrets(data)
    assert finding.loc == ("versions", 0, "request", 0, "description")
    assert "reference" in finding.message


def test_the_minimal_blueprint_has_no_false_positives(minimal: Landscape) -> None:
    assert minimal.credentials  # parsed without a secret issue


def test_secrets_are_rejected_in_any_section_even_unknown_ones(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(
        "blueprint: {id: b, name: B, version: '1', description: 'token " + GITHUB + "'}\n"
        "extras:\n  password: hunter2\n"
    )
    with pytest.raises(BlueprintInvalid) as caught:
        load_blueprint_files([tmp_path])
    found = [(i.kind, i.field) for i in caught.value.issues]
    assert found == [
        ("secret", "description"),
        ("unknown_field", "extras"),
        ("secret", "extras.password"),
    ]
    assert all(GITHUB not in str(i) and "hunter2" not in str(i) for i in caught.value.issues)


@pytest.mark.parametrize(
    "placeholder",
    ["<CLUSTER_API_SECRET>", "${CLUSTER_API_SECRET}", "{{ cluster_api_secret }}", "TODO"],
)
def test_a_placeholder_secret_ref_is_not_a_reference_uri_not_a_secret(
    tmp_path: Path, placeholder: str
) -> None:
    (tmp_path / "b.yaml").write_text(
        "blueprint: {id: b, name: B, version: '1'}\n"
        "credentials:\n"
        f"  - {{id: cred, kind: api_key, secret_ref: '{placeholder}'}}\n"
    )
    with pytest.raises(BlueprintInvalid) as caught:
        load_blueprint_files([tmp_path])
    [issue] = caught.value.issues
    assert (issue.line, issue.field, issue.kind) == (3, "secret_ref", "invalid_value")
    assert f"{placeholder!r} is a placeholder, not a secret reference URI" in issue.message
    # The accepted form, taken from the model's SECRET_REF_PATTERN.
    assert "<scheme>://<path>" in issue.message and "[a-z][a-z0-9+.-]*" in issue.message
    assert "vault://" in issue.message


def test_a_literal_secret_ref_still_says_what_a_reference_looks_like(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(
        "blueprint: {id: b, name: B, version: '1'}\n"
        "credentials:\n  - {id: cred, kind: api_key, secret_ref: 'Xk9#pq2!vLm'}\n"
    )
    with pytest.raises(BlueprintInvalid) as caught:
        load_blueprint_files([tmp_path])
    [issue] = caught.value.issues
    assert (issue.field, issue.kind) == ("secret_ref", "secret")
    assert "not a secret reference URI" in issue.message and "<scheme>://<path>" in issue.message
    assert "Xk9#pq2!vLm" not in str(issue)
