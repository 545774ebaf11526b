"""Running a command's work inside the application context: the CLI's one piece of plumbing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from integraph.cli.output import err_console
from integraph.config import load_settings
from integraph.context import AppContext, SchemaUse, open_context

T = TypeVar("T")


def run_in_context(
    work: Callable[[AppContext], Awaitable[T]],
    *,
    schema: SchemaUse = "check",
    keep_server: bool = True,
) -> T:
    """Open the context, run ``work`` in it, close it; progress notes go to stderr."""

    async def main() -> T:
        async with open_context(
            load_settings(), schema=schema, notify=_note, keep_server=keep_server
        ) as context:
            return await work(context)

    return asyncio.run(main())


def _note(message: str) -> None:
    err_console.print(message, markup=False, highlight=False)
