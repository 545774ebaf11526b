"""The effects a change carries along a flow, most severe first, and the cap of one hop.

A blast radius composes hops (`integraph.impact.blast`): the effect reaching a system over a
dependency is the least severe of the effect at the system it depends on and the hop's cap,
`hop_effect`:

* a required synchronous call (request-response): ``outage``; one with ``required: false``:
  ``degraded`` (the caller falls back);
* asynchronous (event, command, stream) through a dead-letter destination: ``delayed``;
  without one: ``data_loss_risk``;
* batch: ``deferred`` (to the next run);
* a flow with ``required: false`` caps at ``degraded`` whatever its pattern (the least severe
  of the pattern's cap and ``degraded``);
* the requester of a request-reply flow (``has_reply``) depends on the replier like a caller:
  ``outage`` if the flow is required, ``degraded`` if not.

``contract_break`` is no hop's cap: it is what a contract or field change does to the systems
reading it, from where the composition goes on.
"""

from __future__ import annotations

from enum import StrEnum


class Effect(StrEnum):
    OUTAGE = "outage"
    CONTRACT_BREAK = "contract_break"
    DATA_LOSS_RISK = "data_loss_risk"
    DEGRADED = "degraded"
    DELAYED = "delayed"
    DEFERRED = "deferred"


SEVERITY = {
    Effect.OUTAGE: 6,
    Effect.CONTRACT_BREAK: 5,
    Effect.DATA_LOSS_RISK: 4,
    Effect.DEGRADED: 3,
    Effect.DELAYED: 2,
    Effect.DEFERRED: 1,
}

BY_SEVERITY = {severity: effect for effect, severity in SEVERITY.items()}
"""The effect of each severity."""

MOST_SEVERE = SEVERITY[Effect.OUTAGE]
"""The severity of what the changed system itself suffers (where a walk starts)."""


def hop_effect(
    pattern: str, dead_letter: bool, required: bool = True, reply: bool = False
) -> Effect:
    """The cap of one dependency over a flow: the most severe effect it carries to the system
    depending on it. ``reply``: the requester's dependency on the replier of a request-reply
    flow (its other dependency, the receiver's, is the pattern's)."""
    if reply or pattern == "request_response":
        return Effect.OUTAGE if required else Effect.DEGRADED
    if pattern == "batch":
        return Effect.DEFERRED
    effect = Effect.DELAYED if dead_letter else Effect.DATA_LOSS_RISK
    if not required and SEVERITY[effect] > SEVERITY[Effect.DEGRADED]:
        return Effect.DEGRADED
    return effect


def least_severe(first: Effect, second: Effect) -> Effect:
    """The effect of a hop: the milder of what reaches its provider and the hop's cap."""
    return first if SEVERITY[first] <= SEVERITY[second] else second
