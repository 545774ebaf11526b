"""Serving the API with uvicorn: in this process over an open context, or as several workers.

One worker (the default) serves inside the caller's event loop over the context it already
holds (`integraph up` loads, lints, then serves over the same connection). Several workers
are separate processes started by uvicorn from `create_app`, each opening its own context in
its lifespan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress

import uvicorn
from starlette.applications import Starlette
from uvicorn.supervisors import Multiprocess

from integraph.api.app import build_app
from integraph.api.logs import configure_json_logs
from integraph.config import Settings, load_settings
from integraph.context import AppContext

Ready = Callable[[str], None]
"""ready(graphql_url): called once the server listens."""


def graphql_url(settings: Settings, port: int | None = None) -> str:
    host = settings.api_host
    shown = f"[{host}]" if ":" in host else host
    root = settings.api_root_path.rstrip("/")
    return f"http://{shown}:{port or settings.api_port}{root}/graphql"


def create_app() -> Starlette:
    """The app of one uvicorn worker process (`--workers N`): it opens its own context."""
    configure_json_logs()
    return build_app(load_settings())


def _config(app: object, settings: Settings, **extra: object) -> uvicorn.Config:
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        host=settings.api_host,
        port=settings.api_port,
        root_path=settings.api_root_path,
        log_config=None,  # our JSON lines (api.logs), not uvicorn's text
        access_log=False,  # RequestLog writes one line per request, with its id
        proxy_headers=True,
        lifespan="on",
        **extra,  # type: ignore[arg-type]
    )


async def serve(context: AppContext, *, on_ready: Ready | None = None) -> None:
    """Serve the API over `context` until the process is interrupted (Ctrl-C, SIGTERM)."""
    settings = context.settings
    configure_json_logs()
    server = uvicorn.Server(_config(build_app(settings, context=context), settings))
    if on_ready is None:
        await server.serve()
        return
    # Tell the caller the address once the socket listens (port 0: the one the OS chose).
    original_startup = server.startup

    async def startup(sockets: object = None) -> None:
        await original_startup(sockets=sockets)  # type: ignore[arg-type]
        port = settings.api_port
        for listener in getattr(server, "servers", []):
            for sock in listener.sockets:
                port = sock.getsockname()[1]
        on_ready(graphql_url(settings, port))

    server.startup = startup  # type: ignore[method-assign]
    await server.serve()


def serve_workers(settings: Settings) -> None:
    """Serve with `settings.api_workers` processes (blocking until interrupted)."""
    configure_json_logs()
    logging.getLogger("integraph.api").info(
        "serving", extra={"url": graphql_url(settings), "workers": settings.api_workers}
    )
    config = _config(
        "integraph.api.serve:create_app", settings, factory=True, workers=settings.api_workers
    )
    with suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[config.bind_socket()]).run()
