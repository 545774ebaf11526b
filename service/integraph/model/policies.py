"""Error-handling policies attached to flows or components, told apart by `kind`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from integraph.model.element import Element, ElementRef, RefSet

NonNegative = Annotated[int, Field(ge=0)]


class PolicyBase(Element):
    """Fields every policy has."""

    name: str | None = None
    description: str | None = None
    applies_to: RefSet = []
    """Flow and component ids."""


class Backoff(StrEnum):
    FIXED = "fixed"
    EXPONENTIAL = "exponential"


class Jitter(StrEnum):
    NONE = "none"
    FULL = "full"
    EQUAL = "equal"
    DECORRELATED = "decorrelated"


class RetryPolicy(PolicyBase):
    """Retries of a failed call or delivery; bounded by attempts and/or elapsed time."""

    kind: Literal["retry"]
    max_attempts: int | None = Field(default=None, ge=1)
    """Total attempts including the first."""
    max_elapsed_ms: NonNegative | None = None
    backoff: Backoff | None = None
    initial_delay_ms: NonNegative | None = None
    max_delay_ms: NonNegative | None = None
    multiplier: float | None = Field(default=None, ge=1)
    jitter: Jitter | None = None
    retry_on: list[str] = []


class DeadLetterPolicy(PolicyBase):
    """Where undeliverable or unprocessable messages go, and how they come back."""

    kind: Literal["dead_letter"]
    dlq: ElementRef
    """Component id of the dead-letter queue."""
    max_deliveries: int | None = Field(default=None, ge=1)
    """Delivery attempts before a message is dead-lettered."""
    retention_days: NonNegative | None = None
    redrive_procedure: str | None = None
    redrive_within_seconds: NonNegative | None = None
    """How soon dead-lettered messages are redriven (the operating procedure's target)."""


class WindowType(StrEnum):
    COUNT = "count"
    TIME = "time"


class CircuitBreakerPolicy(PolicyBase):
    """Circuit breaker settings (resilience4j vocabulary)."""

    kind: Literal["circuit_breaker"]
    failure_rate_threshold_percent: float | None = Field(default=None, ge=0, le=100)
    slow_call_duration_ms: NonNegative | None = None
    sliding_window_type: WindowType | None = None
    sliding_window_size: int | None = Field(default=None, ge=1)
    """Calls for a count window, seconds for a time window."""
    minimum_calls: int | None = Field(default=None, ge=1)
    wait_in_open_ms: NonNegative | None = None
    half_open_calls: int | None = Field(default=None, ge=1)
    expected_calls_per_window: NonNegative | None = None
    """Calls the protected flow is expected to make in one window."""


class TimeoutPolicy(PolicyBase):
    """Timeouts of a call; the budget covers all attempts."""

    kind: Literal["timeout"]
    connect_timeout_ms: NonNegative | None = None
    request_timeout_ms: NonNegative | None = None
    total_budget_ms: NonNegative | None = None
    """The caller's whole budget, retries included."""


class KeySource(StrEnum):
    HEADER = "header"
    FIELD = "field"
    MESSAGE_ID = "message_id"
    NATURAL_KEY = "natural_key"


class IdempotencyPolicy(PolicyBase):
    """How repeated requests or deliveries are recognised and answered once."""

    kind: Literal["idempotency"]
    key: str | None = None
    """Header name or field pointer carrying the key, e.g. `Idempotency-Key`."""
    key_source: KeySource | None = None
    dedup_store: str | None = None
    window_seconds: NonNegative | None = None


class Operator(StrEnum):
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    EQ = "eq"


class Severity(StrEnum):
    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class AlertRule(PolicyBase):
    """An alerting threshold that triggers an operational response."""

    kind: Literal["alert"]
    metric: str
    operator: Operator = Operator.GT
    threshold: float
    window_seconds: NonNegative | None = None
    severity: Severity = Severity.ERROR
    route: str | None = None
    """Who is told, e.g. `pagerduty://payments-oncall`; absent = nobody."""
    response_seconds: NonNegative | None = None
    """How soon after firing someone acts on it (the on-call response target): with the
    window, how long what it watches may stay broken."""


Policy = Annotated[
    RetryPolicy
    | DeadLetterPolicy
    | CircuitBreakerPolicy
    | TimeoutPolicy
    | IdempotencyPolicy
    | AlertRule,
    Field(discriminator="kind"),
]

POLICY_MODELS: dict[str, type[PolicyBase]] = {
    "retry": RetryPolicy,
    "dead_letter": DeadLetterPolicy,
    "circuit_breaker": CircuitBreakerPolicy,
    "timeout": TimeoutPolicy,
    "idempotency": IdempotencyPolicy,
    "alert": AlertRule,
}
"""Policy model per `kind`."""
