"""The effects a change carries along a flow, most severe first, and the effect of one hop."""

from __future__ import annotations

from enum import StrEnum


class Effect(StrEnum):
    OUTAGE = "outage"
    CONTRACT_BREAK = "contract_break"
    DATA_LOSS_RISK = "data_loss_risk"
    DELAYED = "delayed"
    DEFERRED = "deferred"


SEVERITY = {
    Effect.OUTAGE: 5,
    Effect.CONTRACT_BREAK: 4,
    Effect.DATA_LOSS_RISK: 3,
    Effect.DELAYED: 2,
    Effect.DEFERRED: 1,
}


def hop_effect(pattern: str, dead_letter: bool) -> Effect:
    """The effect one flow hop carries to the system that depends on it."""
    if pattern == "request_response":
        return Effect.OUTAGE
    if pattern == "batch":
        return Effect.DEFERRED
    return Effect.DELAYED if dead_letter else Effect.DATA_LOSS_RISK
