"""Errors users can act on. The CLI turns each into one line and a non-zero exit code."""

from __future__ import annotations


class IntegraphError(Exception):
    """Base of every error meant for a user: its message says what happened and what to do."""

    exit_code = 1


class ConfigurationError(IntegraphError):
    """The settings are unusable (bad URI scheme, unreadable config file...)."""

    exit_code = 2


class DatabaseUnavailable(IntegraphError):
    """Neo4j could not be reached, refused the login, or lacks the requested database."""

    exit_code = 3


class LauncherError(IntegraphError):
    """The embedded Neo4j could not be fetched, started or stopped."""

    exit_code = 4


class MigrationFailed(IntegraphError):
    """A schema migration failed; names the file and carries Neo4j's message."""

    exit_code = 5


class CommitOutcomeUnknown(DatabaseUnavailable):
    """The connection dropped during a commit: the transaction may or may not have been written."""


class SchemaNotCurrent(MigrationFailed):
    """The database lacks migrations (or has newer ones); says what to run."""


class QueryFailed(IntegraphError):
    """A named query failed in a way that is not the user's input (timeout, server error)."""

    exit_code = 6


class CypherError(QueryFailed):
    """Neo4j refused or failed a statement; carries the server's status code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}" if code else message)
        self.code = code
        self.message = message
