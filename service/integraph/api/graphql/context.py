"""What one GraphQL request carries: the application context, the principal, the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from integraph.api.graphql.loaders import Loaders, Reader
from integraph.auth.principal import Principal
from integraph.context import AppContext


@dataclass
class RequestContext:
    """Built once per request by the server (`get_context`), read by every resolver."""

    app: AppContext
    principal: Principal
    request: Any = None
    metrics: Any = None
    """The process's `ApiMetrics`, if served by the app."""
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(Reader(self.app.store))

    @property
    def queries(self) -> int:
        """Cypher queries this request has run through its loaders and list fields."""
        return self.loaders.reader.queries
