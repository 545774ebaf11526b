"""Settings, in one place: environment variables, then an optional TOML file, then defaults.

Environment variables take precedence (``NEO4J_URI`` or ``INTEGRAPH_NEO4J_URI`` and so on).
The file is ``integraph.toml`` in the working directory, or the path in ``INTEGRAPH_CONFIG``.
No Neo4j URI at all means the embedded default: Integraph starts its own Neo4j on loopback.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from integraph.errors import ConfigurationError

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
CONFIG_FILE_NAME = "integraph.toml"


def _neo4j(name: str) -> AliasChoices:
    """A Neo4j connection setting: ``NEO4J_X`` (the usual name) or ``INTEGRAPH_NEO4J_X``."""
    return AliasChoices(f"INTEGRAPH_{name}", name)


def _own(name: str) -> AliasChoices:
    """Every other setting has exactly one name, ``INTEGRAPH_X``."""
    return AliasChoices(f"INTEGRAPH_{name}")


def default_home() -> Path:
    """The per-user state directory: the embedded server's data never lands in a work tree."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "integraph"


def config_file_path() -> Path | None:
    """The TOML settings file in use, if any."""
    explicit = os.environ.get("INTEGRAPH_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigurationError(f"INTEGRAPH_CONFIG points at {path}, which is not a file")
        return path
    local = Path.cwd() / CONFIG_FILE_NAME
    return local if local.is_file() else None


def read_config_file(path: Path | None = None) -> dict[str, Any]:
    """The settings file as a table (empty when there is none): the one TOML reader.

    Top-level keys are settings (``NEO4J_URI = ...``); the ``[lint]`` table is the lint
    configuration (``integraph.lint.config``).
    """
    path = path or config_file_path()
    return {} if path is None else _read_toml(path.resolve())


@cache
def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read the config file: {exc}") from None


class _ConfigFileSource(PydanticBaseSettingsSource):
    """Settings from the top-level keys of the config file, by the same names as the env."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ reads the whole file

    def __call__(self) -> dict[str, Any]:
        table = read_config_file()
        return {k: v for k, v in table.items() if not isinstance(v, dict)}


class Settings(BaseSettings):
    """Where Neo4j is, how to log in, and how the embedded server is sized."""

    model_config = SettingsConfigDict(extra="ignore")

    neo4j_uri: str | None = Field(default=None, validation_alias=_neo4j("NEO4J_URI"))
    neo4j_user: str = Field(default="neo4j", validation_alias=_neo4j("NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(
        default=None, validation_alias=_neo4j("NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(default="neo4j", validation_alias=_neo4j("NEO4J_DATABASE"))
    connect_timeout_s: float = Field(default=10.0, gt=0, validation_alias=_own("CONNECT_TIMEOUT_S"))
    query_timeout_s: float = Field(default=120.0, gt=0, validation_alias=_own("QUERY_TIMEOUT_S"))

    home: Path = Field(default_factory=default_home, validation_alias=_own("HOME"))
    cache_dir: Path | None = Field(default=None, validation_alias=_own("CACHE_DIR"))
    embedded_port: int = Field(
        default=17687, ge=1, le=65535, validation_alias=_own("EMBEDDED_PORT")
    )
    embedded_heap: str = Field(default="1g", validation_alias=_own("EMBEDDED_HEAP"))
    embedded_page_cache: str = Field(default="512m", validation_alias=_own("EMBEDDED_PAGE_CACHE"))
    embedded_start_timeout_s: float = Field(
        default=120.0, gt=0, validation_alias=_own("EMBEDDED_START_TIMEOUT_S")
    )

    # What one blueprint file may cost to read (integraph.limits)
    blueprint_max_file_bytes: int = Field(
        default=64 * 1024 * 1024, gt=0, validation_alias=_own("BLUEPRINT_MAX_FILE_BYTES")
    )
    blueprint_max_depth: int = Field(default=64, gt=1, validation_alias=_own("BLUEPRINT_MAX_DEPTH"))
    blueprint_max_alias_nodes: int = Field(
        default=10_000, ge=0, validation_alias=_own("BLUEPRINT_MAX_ALIAS_NODES")
    )
    blueprint_max_scalar_chars: int = Field(
        default=64 * 1024, gt=0, validation_alias=_own("BLUEPRINT_MAX_SCALAR_CHARS")
    )
    blueprint_max_integer_digits: int = Field(
        default=100, gt=0, le=4000, validation_alias=_own("BLUEPRINT_MAX_INTEGER_DIGITS")
    )

    # The API server (`integraph serve`, integraph.api)
    api_host: str = Field(default="127.0.0.1", validation_alias=_own("API_HOST"))
    api_port: int = Field(default=8000, ge=0, le=65535, validation_alias=_own("API_PORT"))
    api_workers: int = Field(default=1, ge=1, le=64, validation_alias=_own("API_WORKERS"))
    api_root_path: str = Field(default="", validation_alias=_own("API_ROOT_PATH"))
    """The path prefix a reverse proxy serves the API under (`/integraph`)."""
    graphiql: bool | None = Field(default=None, validation_alias=_own("GRAPHIQL"))
    """The GraphiQL IDE on GET /graphql; unset = on when the host is a loopback address."""
    anonymous_read: bool = Field(default=False, validation_alias=_own("ANONYMOUS_READ"))
    """Serve read queries to requests without a token, with the reader role."""
    cors_origins: list[str] = Field(default=[], validation_alias=_own("CORS_ORIGINS"))
    api_max_depth: int = Field(default=12, ge=2, validation_alias=_own("API_MAX_DEPTH"))
    api_max_aliases: int = Field(default=30, ge=1, validation_alias=_own("API_MAX_ALIASES"))
    api_max_tokens: int = Field(default=5_000, ge=10, validation_alias=_own("API_MAX_TOKENS"))
    api_max_cost: int = Field(default=1_000_000, ge=1, validation_alias=_own("API_MAX_COST"))
    """The most elements a query may ask for: list sizes (`first`) multiplied down the
    selection."""
    api_max_body_bytes: int = Field(
        default=32 * 1024 * 1024, gt=0, validation_alias=_own("API_MAX_BODY_BYTES")
    )
    api_request_timeout_s: float = Field(
        default=120.0, gt=0, validation_alias=_own("API_REQUEST_TIMEOUT_S")
    )

    # OpenID Connect bearer tokens (integraph.auth.oidc); unset issuer = OIDC off
    oidc_issuer: str | None = Field(default=None, validation_alias=_own("OIDC_ISSUER"))
    oidc_audience: str | None = Field(default=None, validation_alias=_own("OIDC_AUDIENCE"))
    oidc_jwks_url: str | None = Field(default=None, validation_alias=_own("OIDC_JWKS_URL"))
    """Where the issuer publishes its signing keys; unset = `<issuer>/.well-known/jwks.json`."""
    oidc_roles_claim: str = Field(default="roles", validation_alias=_own("OIDC_ROLES_CLAIM"))
    oidc_blueprints_claim: str = Field(
        default="integraph_blueprints", validation_alias=_own("OIDC_BLUEPRINTS_CLAIM")
    )
    """A claim listing the blueprints the bearer may change; absent = every blueprint."""

    # Scheduled audits (integraph.audits)
    audit_every: str | None = Field(default=None, validation_alias=_own("AUDIT_EVERY"))
    """`integraph serve` audits on this schedule: an interval (`30m`, `1h`, `1d`) or a cron
    expression (`0 6 * * *`, UTC); unset = no in-service audits."""
    audit_blueprints: list[str] = Field(
        default_factory=list, validation_alias=_own("AUDIT_BLUEPRINTS")
    )
    """The scheduled audit's scope; empty = every blueprint."""
    audit_keep_runs: int | None = Field(default=100, ge=1, validation_alias=_own("AUDIT_KEEP_RUNS"))
    """Runs kept per scope after each audit (older ones are pruned); unset = all."""
    audit_keep_days: int | None = Field(
        default=None, ge=1, validation_alias=_own("AUDIT_KEEP_DAYS")
    )
    """Runs younger than this many days are kept; unset = no age limit."""
    audit_lease_s: float = Field(default=900.0, gt=0, validation_alias=_own("AUDIT_LEASE_S"))
    """How long a replica's claim on a scheduled audit lasts before another may take it over."""
    audit_webhooks: str | None = Field(default=None, validation_alias=_own("AUDIT_WEBHOOKS"))
    """Webhooks told of new error findings: a JSON list (see README, Scheduled audits)."""

    @field_validator("neo4j_uri")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        scheme = urlsplit(value).scheme
        if scheme not in URI_SCHEMES:
            raise ValueError(
                f"'{value}' is not a Neo4j URI; use one of "
                + ", ".join(s + "://" for s in URI_SCHEMES)
            )
        return value

    @property
    def embedded(self) -> bool:
        """True when no URI is configured: Integraph runs its own Neo4j."""
        return self.neo4j_uri is None

    @property
    def resolved_cache_dir(self) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "integraph"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _ConfigFileSource(settings_cls))


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning validation problems into one readable ConfigurationError."""
    from pydantic import ValidationError

    aliased = {}
    for name, value in overrides.items():
        alias = Settings.model_fields[name].validation_alias
        key = alias.choices[0] if isinstance(alias, AliasChoices) else name
        aliased[str(key)] = value
    try:
        return Settings(**aliased)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigurationError(f"invalid settings: {problems}") from None
