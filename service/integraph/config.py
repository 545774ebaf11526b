"""Settings, in one place: environment variables, then an optional TOML file, then defaults.

Environment variables take precedence (``NEO4J_URI`` or ``INTEGRAPH_NEO4J_URI`` and so on).
The file is ``integraph.toml`` in the working directory, or the path in ``INTEGRAPH_CONFIG``.
No Neo4j URI at all means the embedded default: Integraph starts its own Neo4j on loopback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from integraph.errors import ConfigurationError

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
CONFIG_FILE_NAME = "integraph.toml"


def _env(name: str) -> AliasChoices:
    return AliasChoices(f"INTEGRAPH_{name}", name)


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


class Settings(BaseSettings):
    """Where Neo4j is, how to log in, and how the embedded server is sized."""

    model_config = SettingsConfigDict(extra="ignore")

    neo4j_uri: str | None = Field(default=None, validation_alias=_env("NEO4J_URI"))
    neo4j_user: str = Field(default="neo4j", validation_alias=_env("NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(default=None, validation_alias=_env("NEO4J_PASSWORD"))
    neo4j_database: str = Field(default="neo4j", validation_alias=_env("NEO4J_DATABASE"))
    connect_timeout_s: float = Field(default=10.0, gt=0)
    query_timeout_s: float = Field(default=120.0, gt=0)

    home: Path = Field(default=Path(".integraph"), validation_alias=AliasChoices("INTEGRAPH_HOME"))
    cache_dir: Path | None = Field(
        default=None, validation_alias=AliasChoices("INTEGRAPH_CACHE_DIR")
    )
    embedded_port: int = Field(
        default=17687, ge=1, le=65535, validation_alias=AliasChoices("INTEGRAPH_EMBEDDED_PORT")
    )
    embedded_heap: str = Field(
        default="1g", validation_alias=AliasChoices("INTEGRAPH_EMBEDDED_HEAP")
    )
    embedded_page_cache: str = Field(
        default="512m", validation_alias=AliasChoices("INTEGRAPH_EMBEDDED_PAGE_CACHE")
    )
    embedded_start_timeout_s: float = Field(
        default=120.0, gt=0, validation_alias=AliasChoices("INTEGRAPH_EMBEDDED_START_TIMEOUT")
    )

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
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file_path()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


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
