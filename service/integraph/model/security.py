"""Service-to-service credentials, data classifications and masking of fields in transit."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from integraph.model.contracts import FieldKey
from integraph.model.element import Element, Model, RefSet

CHANNEL_PATTERN = r"^(\*|([a-z0-9][a-z0-9._-]*:)?[a-z0-9][a-z0-9._-]*\*?)$"
"""A permission's channel: a component id, a prefix ending in `*` (`payments.*`) or `*`."""

SECRET_REF_PATTERN = r"^[a-z][a-z0-9+.-]*://\S+$"
"""A reference to where a secret lives (`vault://kv/app/key`), never the secret itself."""

SecretRef = Annotated[str, StringConstraints(pattern=SECRET_REF_PATTERN)]


class CredentialKind(StrEnum):
    OAUTH2_CLIENT_CREDENTIALS = "oauth2_client_credentials"
    MTLS = "mtls"
    API_KEY = "api_key"
    BASIC = "basic"
    JWT_BEARER = "jwt_bearer"
    SSH_KEY = "ssh_key"
    """An SSH key pair (SFTP, SCP): the private key held by the client."""
    SASL_SCRAM = "sasl_scram"
    """A user name and password towards a broker (Kafka SASL/SCRAM), salted at the broker."""
    NONE = "none"


class GrantType(StrEnum):
    CLIENT_CREDENTIALS = "client_credentials"
    AUTHORIZATION_CODE = "authorization_code"
    JWT_BEARER = "jwt_bearer"
    TOKEN_EXCHANGE = "token_exchange"
    PASSWORD = "password"
    REFRESH_TOKEN = "refresh_token"


class ClientAuth(StrEnum):
    CLIENT_SECRET_BASIC = "client_secret_basic"
    CLIENT_SECRET_POST = "client_secret_post"
    PRIVATE_KEY_JWT = "private_key_jwt"
    TLS_CLIENT_AUTH = "tls_client_auth"
    SELF_SIGNED_TLS_CLIENT_AUTH = "self_signed_tls_client_auth"
    NONE = "none"


class SenderConstraint(StrEnum):
    NONE = "none"
    MTLS = "mtls"
    DPOP = "dpop"


class Access(StrEnum):
    READ = "read"
    WRITE = "write"
    CREATE = "create"
    DELETE = "delete"
    ALTER = "alter"
    ALL = "all"


def _sorted_access(values: list[Access]) -> list[Access]:
    return sorted(set(values))


class Permission(Model):
    """What a credential may do on the component it authenticates to: on one channel (or
    those matching a prefix, or all), or as a member of a consumer group."""

    channel: Annotated[str, StringConstraints(pattern=CHANNEL_PATTERN)] | None = None
    """Topic or queue id; `payments.*` matches ids with that prefix; `*` matches all."""
    consumer_group: str | None = None
    """Consumer group it may join (`*` = any)."""
    access: Annotated[list[Access], AfterValidator(_sorted_access)] = Field(min_length=1)

    @property
    def wildcard(self) -> bool:
        """Whether it names no single channel or group but a pattern."""
        return any(v is not None and v.endswith("*") for v in (self.channel, self.consumer_group))


def _by_target(permissions: list[Permission]) -> list[Permission]:
    return sorted(
        permissions, key=lambda p: (p.channel or "", p.consumer_group or "", list(p.access))
    )


class Credential(Element):
    """How one or more systems authenticate; the flows it authenticates name it."""

    kind: CredentialKind
    name: str | None = None
    description: str | None = None
    issuer: str | None = None
    secret_ref: SecretRef | None = None
    """URI of the secret in a secret store, e.g. `vault://kv/shop/payments-client`."""
    held_by: RefSet = []
    """System ids."""
    grant_type: GrantType | None = None
    client_auth: ClientAuth | None = None
    public_client: bool = False
    refresh_token: bool = False
    """Whether a refresh token is issued."""
    audience: list[str] = []
    scopes: list[str] = []
    token_lifetime_seconds: int | None = Field(default=None, ge=0)
    sender_constraint: SenderConstraint | None = None
    rotation_days: int | None = Field(default=None, ge=0)
    """Rotation period; absent = never rotated."""
    revocation: str | None = None
    towards: RefSet = []
    """Component ids it authenticates to (a broker, a registry): a messaging client's
    credential is towards the broker, not the system at the other end of a flow."""
    permissions: Annotated[list[Permission], AfterValidator(_by_target)] = []
    """What it may do on those components (read/write per channel, consumer groups)."""
    environments: RefSet = []
    """Environment ids it is used in; empty = not bound to environments."""
    tags: list[str] = []


class ClassificationCategory(StrEnum):
    PII = "pii"
    PCI = "pci"
    PHI = "phi"
    CONFIDENTIAL = "confidential"
    INTERNAL = "internal"
    PUBLIC = "public"


class DataClassification(Element):
    """A class of data with its masking and audit requirements; fields point to one."""

    category: ClassificationCategory
    name: str | None = None
    description: str | None = None
    regulations: list[str] = []
    """E.g. PCI-DSS, GDPR, HIPAA; non-empty means regulated data."""
    masking_required: bool | None = None
    """True or false is a decision; unset, masking is required for the sensitive categories
    (pci, pii, phi: the SEC-08 rule's ``sensitive_categories``, also used by lineage)."""
    audit_required: bool = False
    min_audit_retention_days: int | None = Field(default=None, ge=0)


class MaskingMethod(StrEnum):
    NONE = "none"
    TOKENISED = "tokenised"
    HASHED = "hashed"
    ENCRYPTED = "encrypted"
    REDACTED = "redacted"
    PSEUDONYMISED = "pseudonymised"


class FieldMasking(Model):
    """How one field of the flow's contract is protected in transit on that flow."""

    field: FieldKey
    """`<part><path>` of the flow's contract, e.g. `request/card/pan`, or
    `<operation>/<part><path>` for an operation's field."""
    method: MaskingMethod
