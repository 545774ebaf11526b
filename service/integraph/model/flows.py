"""Flows: one exchange between two systems, with its pattern, path, contract and guarantees."""

from __future__ import annotations

import datetime
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Annotated, Self

from croniter import CroniterError, croniter
from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from integraph.model.contracts import OperationName, VersionString
from integraph.model.element import Element, ElementRef, Model
from integraph.model.security import FieldMasking


class FlowPattern(StrEnum):
    REQUEST_RESPONSE = "request_response"
    EVENT = "event"
    COMMAND = "command"
    BATCH = "batch"
    STREAM = "stream"


ASYNC_PATTERNS = frozenset({FlowPattern.EVENT, FlowPattern.COMMAND, FlowPattern.STREAM})


class DeliveryGuarantee(StrEnum):
    AT_MOST_ONCE = "at_most_once"
    AT_LEAST_ONCE = "at_least_once"
    EXACTLY_ONCE = "exactly_once"


class Consistency(StrEnum):
    STRONG = "strong"
    EVENTUAL = "eventual"


class TransportEncryption(StrEnum):
    NONE = "none"
    TLS = "tls"
    MTLS = "mtls"
    MESSAGE = "message"


_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_WINDOW = (datetime.date(2000, 1, 1), datetime.date(2009, 1, 1))
"""The runs compared: nine years cover weekdays, month lengths and leap days (29 February)."""
_DAY = 86400


def _values(field: list[int | str], every: range) -> list[int]:
    return list(every) if field == ["*"] else [int(v) for v in field]


def _run_days(
    expression: str,
    dom: list[int | str],
    months: list[int | str],
    dow: list[int | str],
    nth: dict[int, set[int]],
) -> list[int]:
    """Ordinals of the days in the window on which the schedule runs (cron's rule: when both
    day fields are restricted a day matching either one runs)."""
    start, end = _WINDOW
    if nth or any(not isinstance(v, int) for v in [*dom, *months, *dow] if v != "*"):
        # L (last day) and friends: ask croniter, one day at a time.
        day_fields = " ".join(expression.split()[2:5])
        runs = croniter(f"0 0 {day_fields}", datetime.datetime(start.year - 1, 12, 31, 23, 59))
        days: list[int] = []
        while (day := runs.get_next(datetime.datetime).date()) < end:
            days.append(day.toordinal())
        return days
    any_dom, any_dow = dom == ["*"], dow == ["*"]
    dom_set, dow_set = set(_values(dom, range(1, 32))), set(_values(dow, range(7)))
    month_set = set(_values(months, range(1, 13)))
    days = []
    for ordinal in range(start.toordinal(), end.toordinal()):
        day = datetime.date.fromordinal(ordinal)
        if day.month not in month_set:
            continue
        in_dom, in_dow = day.day in dom_set, day.isoweekday() % 7 in dow_set
        either = not any_dom and not any_dow  # both restricted: either one will do
        if (in_dom or in_dow) if either else (in_dom and in_dow):
            days.append(ordinal)
    return days


@lru_cache(maxsize=1024)
def cron_gaps(expression: str) -> tuple[int, int]:
    """Shortest and longest time in seconds between two consecutive runs of a standard
    five-field cron expression (minute hour day-of-month month day-of-week, or a macro such as
    ``@daily``); ValueError when it is not one or never runs twice."""
    text = " ".join(expression.split())
    if text.lower() not in _MACROS and len(text.split()) != 5:
        raise ValueError(
            "must be a cron expression of five fields (minute hour day-of-month month "
            "day-of-week), e.g. '0 2 * * *', or a macro such as @daily"
        )
    try:
        (minutes, hours, dom, months, dow), nth = croniter.expand(text)
        hours_of_day, minutes_of_hour = _values(hours, range(24)), _values(minutes, range(60))
        times = sorted(h * 3600 + m * 60 for h in hours_of_day for m in minutes_of_hour)
        days = _run_days(text, dom, months, dow, nth)
    except (CroniterError, ValueError, TypeError) as exc:
        raise ValueError(f"is not a valid cron expression: {exc}") from None
    gaps = [b - a for a, b in pairwise(times)]
    gaps += [(b - a) * _DAY - times[-1] + times[0] for a, b in pairwise(days)]
    if not gaps:
        raise ValueError(
            "does not run twice in nine years (e.g. 30 February): no interval to derive"
        )
    return min(gaps), max(gaps)


class Reply(Model):
    """The reply of a request-reply exchange over messaging: the flow carries the request
    from `source` (the requester) to `target` (the replier), which answers on a reply
    channel (or at an address the request names)."""

    via: list[ElementRef] = []
    """Component ids the reply passes through, in order (its reply topic or queue)."""
    address_header: str | None = None
    """The request header naming where to reply (JMSReplyTo, `reply-topic`): the replier
    then writes wherever a requester asks."""
    correlation_key: str | None = None
    """Header or field matching a reply to its request, e.g. `correlation-id`."""
    timeout_ms: float | None = Field(default=None, gt=0)
    """How long the requester waits for the reply before giving up."""

    @model_validator(mode="after")
    def _has_a_way_back(self) -> Self:
        if not self.via and self.address_header is None:
            raise ValueError(
                "a reply needs its channel (via) or the request header naming it (address_header)"
            )
        return self


def _sorted_names(names: list[str]) -> list[str]:
    return sorted(set(names))


def _by_field(masking: list[FieldMasking]) -> list[FieldMasking]:
    # Stored as relationships (unordered), so keep one canonical order.
    return sorted(masking, key=lambda item: item.field)


class Flow(Element):
    """One exchange: data goes from `source` (initiator) to `target` (receiver)."""

    name: str | None = None
    description: str | None = None
    source: ElementRef
    """System id of the initiator: caller, publisher, sender."""
    target: ElementRef
    """System id of the receiver: callee, subscriber."""
    pattern: FlowPattern
    mutating: bool = False
    """A request_response that changes state (not safe to retry blindly)."""
    via: list[ElementRef] = []
    """Component ids passed through, in order."""
    delivery: DeliveryGuarantee | None = None
    consistency: Consistency | None = None
    max_staleness_seconds: float | None = Field(default=None, ge=0)
    schedule: str | None = None
    """Cron expression (five fields, e.g. `0 2 * * *`), for batch flows."""
    schedule_interval_seconds: float | None = Field(default=None, gt=0, validate_default=True)
    """Time between two runs. Derived from `schedule` when left out: the longest gap between
    two of its runs (how old the copied data gets, e.g. 259200 for weekdays only). When both
    are given the interval must be one the schedule has (between its shortest and longest
    gap)."""
    volume_per_day: int | None = Field(default=None, ge=0)
    peak_per_second: float | None = Field(default=None, ge=0)
    latency_p99_ms: float | None = Field(default=None, ge=0)
    contract: ElementRef | None = None
    producer_version: VersionString | None = None
    """Version implemented by the side providing the interface (server, publisher)."""
    consumer_version: VersionString | None = None
    """Version the other side is built against."""
    operations: Annotated[list[OperationName], AfterValidator(_sorted_names)] = []
    """Names of the contract version's operations this flow uses (none: the whole
    contract)."""
    credential: ElementRef | None = None
    """Credential id authenticating the source; absent = unauthenticated."""
    transport_encryption: TransportEncryption | None = None
    masking: Annotated[list[FieldMasking], AfterValidator(_by_field)] = []
    audit_logging: bool = False
    audit_retention_days: int | None = Field(default=None, ge=0)
    third_party_justification: str | None = None
    """Why sensitive data may go to an external party."""
    required: bool = True
    """Whether the side depending on the flow needs it to work (the caller of a
    request_response, the receiver otherwise); false: it degrades without it."""
    fallback: str | None = None
    """What the dependent side does without the flow (required when `required` is false)."""
    reply: Reply | None = None
    """For a command or event answered over messaging: the reply, its correlation and
    timeout (request-reply)."""
    receiver_credential: ElementRef | None = None
    """Credential id the receiver authenticates with towards the components the flow passes
    (a consumer's own identity at the broker); `credential` is the source's."""
    compensated_by: ElementRef | None = None
    """Flow id undoing this flow's effect when a later step of the same operation fails
    (a saga's compensating action)."""
    tags: list[str] = []

    @model_validator(mode="after")
    def _dependency_and_reply(self) -> Self:
        if not self.required and not self.fallback:
            raise ValueError(
                "a flow with required: false needs a fallback saying what its dependent "
                "does without it"
            )
        if self.reply is not None and self.pattern not in (FlowPattern.COMMAND, FlowPattern.EVENT):
            raise ValueError(
                f"reply describes request-reply over messaging: only for a command or event "
                f"(this flow is {self.pattern.value}; a request_response has its response)"
            )
        return self

    @field_validator("schedule")
    @classmethod
    def _schedule_is_cron(cls, value: str | None) -> str | None:
        if value is not None:
            cron_gaps(value)
        return value

    @field_validator("schedule_interval_seconds")
    @classmethod
    def _interval_from_schedule(cls, value: float | None, info: ValidationInfo) -> float | None:
        schedule = info.data.get("schedule")
        if schedule is None:
            return value
        shortest, longest = cron_gaps(schedule)
        if value is None:
            return float(longest)
        if not shortest <= value <= longest:
            runs = (
                f"every {shortest} s"
                if shortest == longest
                else (f"at intervals of {shortest} to {longest} s")
            )
            raise ValueError(
                f"{value:g} disagrees with schedule '{schedule}', which runs {runs} "
                "(leave schedule_interval_seconds out to derive it from the schedule)"
            )
        return value
