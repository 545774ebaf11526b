"""Schedules, and the lease in Neo4j that gives each period's audit to exactly one replica."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import pytest

from integraph.audits.schedule import Schedule, Scheduler
from integraph.errors import ConfigurationError

UTC = datetime.UTC
T0 = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def test_intervals_and_cron_expressions_cut_time_into_periods() -> None:
    hourly = Schedule.parse("1h")
    assert hourly.period(T0 + datetime.timedelta(minutes=59)) == (
        T0,
        T0 + datetime.timedelta(hours=1),
    )
    daily_six = Schedule.parse("0 6 * * *")
    start, following = daily_six.period(T0)
    assert start == datetime.datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    assert following == datetime.datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    assert daily_six.period(start) == (start, following)  # a fire time starts its own period
    for bad in ("every hour", "0 25 * * *", "0m"):
        with pytest.raises(ConfigurationError):
            Schedule.parse(bad)


class Clock:
    def __init__(self, now: datetime.datetime) -> None:
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now


def _schedulers(graph: Any, clock: Clock, ran: list[str], count: int) -> list[Scheduler]:
    def audit_of(name: str) -> Any:
        async def audit() -> Any:
            ran.append(name)
            await asyncio.sleep(0.05)  # long enough for the others to ask meanwhile
            return name

        return audit

    return [
        Scheduler(
            graph,
            Schedule.parse("1h"),
            audit_of(f"replica-{i}"),
            scope_key="*",
            lease_s=600,
            holder=f"replica-{i}",
            clock=clock,
        )
        for i in range(count)
    ]


async def test_racing_schedulers_run_exactly_one_audit_per_period(graph) -> None:
    clock = Clock(T0)
    ran: list[str] = []
    replicas = _schedulers(graph, clock, ran, 3)
    for period in range(12):
        clock.now = T0 + datetime.timedelta(hours=period, minutes=1)
        before = len(ran)
        for _ in range(3):  # each replica ticks three times within the period, all at once
            results = await asyncio.gather(*(r.tick() for r in replicas))
            assert sum(r is not None for r in results) <= 1
        assert len(ran) == before + 1, f"period {period}: {ran[before:]}"


async def test_a_crashed_holders_period_is_taken_over_after_its_lease_expires(graph) -> None:
    clock = Clock(T0 + datetime.timedelta(minutes=1))

    async def crash() -> Any:
        raise RuntimeError("the replica died mid-audit")

    ran: list[str] = []
    crashing = Scheduler(
        graph, Schedule.parse("1h"), crash, scope_key="*", lease_s=300, holder="a", clock=clock
    )
    (survivor,) = _schedulers(graph, clock, ran, 1)
    with pytest.raises(RuntimeError):
        await crashing.tick()
    assert await survivor.tick() is None  # the lease still stands
    clock.now += datetime.timedelta(minutes=4)
    assert await survivor.tick() is None
    clock.now += datetime.timedelta(minutes=2)  # past the 5 minutes of the crashed lease
    assert await survivor.tick() == "replica-0"
    assert await survivor.tick() is None  # done for this period
    clock.now += datetime.timedelta(hours=1)
    assert await survivor.tick() == "replica-0"  # and the next period is due again
