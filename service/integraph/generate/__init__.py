"""A deterministic synthetic landscape of any size, shaped like real ones, for scale tests.

The same `systems`, `seed` and `shape` always give the same landscape. Two shapes:

- `Shape.LAYERED` (the default, for benchmarks): a designed landscape of business domains in
  layers (channels, BFFs, domain services, systems of record), synchronous calls only going
  down the layers with timeouts that shrink on the way, events fanning out from the systems
  of record; see `integraph.generate.layered` for its rules.
- `Shape.RANDOM` (a stress case): the shape described below, with random synchronous calls
  around hubs, hence many call cycles and inverted timeout budgets.

The random shape: a team per ~8
systems; systems mostly in the internal trust zone; a few tier-1 hubs that preferential
attachment puts at one end of many flows; brokers holding a topic per publisher and a command
queue per receiver, each with its dead-letter queue; API gateways in front of partner and
public systems; about five flows per system across all patterns; contracts with 1-3 versions
whose fields are sometimes pii or pci; one credential per calling system; retry, timeout,
circuit-breaker, idempotency, dead-letter and alert policies; a few ADRs; one blueprint.

Deliberate defects, each at DEFECT_RATE of the places where it can occur:
- an async flow (event, command, stream) without a dead-letter policy;
- a retry policy without jitter;
- a system that shares another system's credential (held by both);
- a flow carrying a card number (PAN) to a partner or public system without masking it;
- a flow without a contract, and a flow without a credential (unauthenticated);
- a credential that is never rotated, and a dead-letter alert that is routed to nobody.
"""

from __future__ import annotations

import gc
import random
from enum import StrEnum

from integraph.generate.builders import _Generator
from integraph.generate.layered import LayeredGenerator
from integraph.model import Landscape


class Shape(StrEnum):
    """How the generated systems call each other."""

    LAYERED = "layered"
    """Domains in layers, synchronous calls going down only: a designed landscape."""
    RANDOM = "random"
    """Random calls around hubs (preferential attachment): a stress case."""


def generate_landscape(systems: int, seed: int, *, shape: Shape = Shape.LAYERED) -> Landscape:
    """A validated synthetic landscape of `systems` systems; same inputs, same landscape."""
    if systems < 2:
        raise ValueError("a landscape needs at least 2 systems")
    shapes = {Shape.LAYERED: LayeredGenerator, Shape.RANDOM: _Generator}
    # Hundreds of thousands of long-lived, acyclic objects: the cyclic collector would rescan
    # them again and again for nothing (it doubles the time at 10,000 systems).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return shapes[Shape(shape)](systems, random.Random(seed)).landscape()
    finally:
        if collecting:
            gc.enable()
