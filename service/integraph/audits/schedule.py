"""When scheduled audits run, and how replicas agree that exactly one of them runs each one.

A schedule is an interval (`30m`, `1h`, `1d`: periods aligned to the Unix epoch in UTC) or a
cron expression (`0 6 * * *`, in UTC, read by croniter): either way, time is cut into
*periods*, each named by the moment it starts, and an audit is due once per period.

Every replica runs a `Scheduler`. At each tick it asks for the **lease** of its scope for the
current period (`store.audit_runs.take_lease`, one write transaction in Neo4j): the lease is
granted to exactly one asker per period, since the transaction takes the lease node's write
lock before it reads it. The holder audits, then marks the period done. A holder that crashes
mid-audit leaves the period undone; once its lease expires (`INTEGRAPH_AUDIT_LEASE_S`), the
next replica to tick takes it over and audits that period. A period that passed with nobody
running (every replica down) is not caught up: the next period's audit covers the graph as
it is then.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import re
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from croniter import croniter

from integraph.audits.runs import AuditRun, iso_utc, utc_now
from integraph.errors import ConfigurationError
from integraph.store import audit_runs
from integraph.store.driver import Store

log = logging.getLogger("integraph.audits")

_INTERVAL = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Schedule:
    """An interval in seconds, or a cron expression."""

    text: str
    seconds: int | None = None
    cron: str | None = None

    @classmethod
    def parse(cls, text: str) -> Schedule:
        interval = _INTERVAL.match(text)
        if interval:
            seconds = int(interval.group(1)) * _UNITS[interval.group(2)]
            if seconds < 1:
                raise ConfigurationError(f"audit schedule '{text}': the interval must be > 0")
            return cls(text=text.strip(), seconds=seconds)
        if croniter.is_valid(text.strip()):
            return cls(text=text.strip(), cron=text.strip())
        raise ConfigurationError(
            f"audit schedule '{text}' is neither an interval (30m, 1h, 1d) nor a cron "
            "expression (0 6 * * *)"
        )

    def period(self, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
        """(start of the period holding `now`, start of the next one), in UTC."""
        now = now.astimezone(datetime.UTC)
        if self.seconds is not None:
            elapsed = int((now - _EPOCH).total_seconds()) // self.seconds * self.seconds
            start = _EPOCH + datetime.timedelta(seconds=elapsed)
            return start, start + datetime.timedelta(seconds=self.seconds)
        assert self.cron is not None
        fire = croniter(self.cron, now + datetime.timedelta(microseconds=1))
        start = fire.get_prev(datetime.datetime).astimezone(datetime.UTC)
        following = croniter(self.cron, start).get_next(datetime.datetime)
        return start, following.astimezone(datetime.UTC)


def holder_name() -> str:
    """This process's name in leases: host, process id and a random part."""
    return f"{socket.gethostname()}:{secrets.token_hex(4)}"


class Scheduler:
    """Runs `audit` once per period of `schedule` across every replica sharing the database."""

    def __init__(
        self,
        store: Store,
        schedule: Schedule,
        audit: Callable[[], Awaitable[AuditRun]],
        *,
        scope_key: str,
        lease_s: float,
        holder: str | None = None,
        clock: Callable[[], datetime.datetime] = utc_now,
    ) -> None:
        self.store = store
        self.schedule = schedule
        self.audit = audit
        self.scope_key = scope_key
        self.lease_s = lease_s
        self.holder = holder or holder_name()
        self.clock = clock

    async def tick(self) -> AuditRun | None:
        """Audit now if this period's audit is this replica's to run; the run, else None."""
        now = self.clock()
        start, _ = self.schedule.period(now)
        period = iso_utc(start)
        taken = await audit_runs.take_lease(
            self.store,
            f"schedule:{self.scope_key}",
            period=period,
            holder=self.holder,
            now=iso_utc(now),
            expires=iso_utc(now + datetime.timedelta(seconds=self.lease_s)),
        )
        if not taken:
            return None
        run = await self.audit()
        await audit_runs.finish_lease(
            self.store, f"schedule:{self.scope_key}", period=period, holder=self.holder
        )
        return run

    async def run_forever(self, on_tick: Callable[[], Awaitable[None]] | None = None) -> None:
        """Tick at each period's start (and at least every minute, to take over the period of
        a crashed holder), until cancelled; `on_tick` after each. A failing tick is logged,
        never fatal."""
        while True:
            try:
                run = await self.tick()
                if run is not None:
                    log.info("audit %s: %s, %s", run.id, run.status, run.counts)
                if on_tick is not None:
                    await on_tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduled audit tick failed")
            now = self.clock()
            _, following = self.schedule.period(now)
            await asyncio.sleep(max(1.0, min(60.0, (following - now).total_seconds())))
