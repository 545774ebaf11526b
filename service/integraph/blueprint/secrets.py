"""Detection of secrets written into blueprint files; the files must hold references only."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from integraph.bounded_yaml import Loc
from integraph.model.security import SECRET_REF_PATTERN

ADVICE = (
    "never store secrets in blueprint files; store a reference to where the secret lives "
    "instead (e.g. vault://kv/app/name, aws-sm://prod/app/name, env://APP_SECRET)"
)

REFERENCE = re.compile(SECRET_REF_PATTERN)

REFERENCE_FORM = (
    "a secret reference URI is <scheme>://<path>, the scheme matching "
    f"{SECRET_REF_PATTERN[1 : SECRET_REF_PATTERN.index('://')]} "
    "(e.g. vault://kv/app/name, aws-sm://prod/app/name, env://APP_SECRET)"
)
"""What `secret_ref` accepts, from the model's SECRET_REF_PATTERN, for messages."""

PLACEHOLDER = re.compile(
    r"^\s*(?:<[\w .:/-]+>|\$\{[\w .:/-]+\}|\{\{[\w .:/-]+\}\}|\$[A-Za-z_]\w*|%[A-Za-z_]\w*%"
    r"|TODO|TBD|FIXME)\s*$"
)
"""A template placeholder (`<CLUSTER_API_SECRET>`, `${API_KEY}`, `{{ token }}`): not a secret,
but not a reference either."""

# Patterns that identify a secret whatever field holds it.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----"), "a PEM private key"),
    (
        re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
        "a JSON Web Token",
    ),
    (re.compile(r"\b(?i:bearer)\s+(?=[^\s]*\d)[A-Za-z0-9._~+/-]{20,}=*"), "a bearer token"),
    (re.compile(r"\b(?i:basic)\s+(?=[^\s]*\d)[A-Za-z0-9+/]{16,}={0,2}"), "a basic auth header"),
    (re.compile(r"\b(AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b"), "an AWS access key id"),
    (
        re.compile(r"(?i:aws).{0,20}(?i:secret).{0,20}[=:]\s*[\"']?[A-Za-z0-9/+]{40}\b"),
        "an AWS secret access key",
    ),
    (re.compile(r"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b"), "a GitHub token"),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{22,}\b"), "a GitHub token"),
    (re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+"), "a Slack webhook URL"),
    (re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}\b"), "a Stripe secret key"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "a Google API key"),
    (re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"), "a URL with an embedded password"),
    (
        re.compile(
            r"\b(?i:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|client[_-]?secret)"
            r"\s*=\s*[^\s,;&'\"<>${}]{4,}"
        ),
        "an inline password or key assignment",
    ),
)

ANY_PATTERN = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in PATTERNS))
"""One pass over a value tells whether any pattern can match (most values match none)."""

# Field names whose value, if literal, is a secret (normalised: lower case, '-' -> '_').
SECRET_NAMES = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "client_secret",
        "api_key",
        "apikey",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "auth_token",
        "bearer_token",
        "private_key",
        "secret_key",
        "access_key",
        "secret_access_key",
        "connection_string",
        "secret_ref",
    }
)
SECRET_SUFFIXES = (
    "_password",
    "_passwd",
    "_passphrase",
    "_secret",
    "_token",
    "_api_key",
    "_apikey",
    "_private_key",
    "_secret_key",
    "_access_key",
)
# Words that make a field "secret-ish": high-entropy values there are suspicious.
SECRETISH_WORDS = ("key", "secret", "token", "pass", "credential", "auth", "signature", "salt")


@dataclass(frozen=True)
class SecretFinding:
    """A value that looks like a secret, at `loc` inside the scanned data."""

    loc: tuple[str | int, ...]
    reason: str

    @property
    def message(self) -> str:
        return f"value looks like {self.reason}; {ADVICE}"


def find_secrets(data: Any, loc: Loc = ()) -> list[SecretFinding]:
    """Every value in `data` (nested dicts and lists) that looks like a secret."""
    found: list[SecretFinding] = []
    _walk(data, tuple(loc), None, found)
    return found


def _walk(
    data: Any, loc: tuple[str | int, ...], key: str | None, found: list[SecretFinding]
) -> None:
    if isinstance(data, dict):
        for name, value in data.items():
            _walk(value, (*loc, name), str(name), found)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _walk(value, (*loc, index), key, found)
    else:
        reason = secret_reason(key, data)
        if reason is not None:
            found.append(SecretFinding(loc, reason))


def secret_reason(key: str | None, value: Any) -> str | None:
    """Why `value`, held by field `key`, looks like a secret; None if it does not."""
    if isinstance(value, bool) or value is None:
        return None
    secret_field, secretish = _classify(key or "")
    if not isinstance(value, str):
        # A number in a password field is still a password.
        literal = f"a literal secret ('{key}' must not hold the secret itself)"
        return literal if secret_field and isinstance(value, int) else None
    if len(value) >= 8 and ANY_PATTERN.search(value):
        return next(reason for pattern, reason in PATTERNS if pattern.search(value))
    if REFERENCE.match(value):
        return None
    if secret_field and PLACEHOLDER.match(value):
        return None  # the field's own validation says it is not a reference
    if secret_field and value.strip():
        if key == "secret_ref":
            return f"a literal secret, not a secret reference URI ({REFERENCE_FORM})"
        return f"a literal secret ('{key}' must not hold the secret itself)"
    if secretish and _high_entropy(value):
        return f"a secret (a high-entropy string in '{key}')"
    return None


@lru_cache(maxsize=1024)
def _classify(key: str) -> tuple[bool, bool]:
    """Whether a field name holds secrets outright, and whether it is secret-ish."""
    name = key.lower().replace("-", "_")
    secret_field = name in SECRET_NAMES or name.endswith(SECRET_SUFFIXES)
    return secret_field, any(word in name for word in SECRETISH_WORDS)


def _high_entropy(value: str) -> bool:
    # Random keys are long unbroken runs mixing character classes with many distinct
    # symbols; names like `payments-signing-key-v2` are short words joined by separators.
    if len(value) < 20 or any(ch.isspace() for ch in value):
        return False
    if max(len(run) for run in re.split(r"[-_.:]", value)) < 16:
        return False
    classes = sum(
        (
            any(ch.islower() for ch in value),
            any(ch.isupper() for ch in value),
            any(ch.isdigit() for ch in value),
        )
    )
    if classes < 2 or not any(ch.isdigit() for ch in value):
        return False
    counts = Counter(value)
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return entropy >= 3.5
