"""The one source of truth for "is this change breaking under mode X" (RULES.md section 1).

Each rule returns a Verdict: why the change breaks BACKWARD (the new schema reading data
written with the old one) and why it breaks FORWARD (old readers reading new data). `judge`
then applies a mode, the role of the data (HTTP requests and responses) and the deprecation
window. The JSON Schema, Avro, API-document and field-list comparers all call these rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from string import Template
from typing import Any

from integraph.compat.model import (
    Change,
    ChangeKind,
    CompatibilityMode,
    ContentModel,
    Difference,
    Language,
    Role,
    Verdict,
)

# Writer type -> reader types that can read its values. JSON: every integer is a number.
# Avro (specification, "Schema Resolution"): int -> long -> float -> double, string <-> bytes.
PROMOTIONS: dict[str, frozenset[str]] = {
    "integer": frozenset({"number"}),
    "int": frozenset({"long", "float", "double"}),
    "long": frozenset({"float", "double"}),
    "float": frozenset({"double"}),
    "string": frozenset({"bytes"}),
    "bytes": frozenset({"string"}),
}
ANY_TYPE = "any"  # stands for "no type constraint"

# The words a reason uses for each side, so one rule reads right for events and for HTTP.
_VOCABULARY: dict[Role, dict[str, str]] = {
    Role.DATA: {
        "old_data": "data written with the old schema",
        "old_readers": "consumers on the old schema",
        "new_reader": "the new schema",
    },
    Role.REQUEST: {
        "old_data": "requests from clients on the old contract",
        "old_readers": "servers on the old contract",
        "new_reader": "the new server",
    },
    Role.RESPONSE: {
        "old_data": "responses from servers on the old contract",
        "old_readers": "clients on the old contract",
        "new_reader": "clients on the new contract",
    },
}
# Avro and protobuf data is read with a reader's schema against the writer's (Avro schema
# resolution) or with the reader's message definition (protobuf): the reasons say so.
_LANGUAGE_WORDS: dict[Language, dict[str, str]] = {
    Language.AVRO: {
        "old_data": "data written with the old writer's schema",
        "old_readers": "consumers reading with the old reader's schema",
        "new_reader": "the new reader's schema",
    },
    Language.PROTOBUF: {
        "old_data": "messages written with the old definition",
        "old_readers": "consumers on the old message definition",
        "new_reader": "the new message definition",
    },
}
_REMOVALS = {
    ChangeKind.FIELD_REMOVED,
    ChangeKind.OPERATION_REMOVED,
    ChangeKind.MESSAGE_REMOVED,
    ChangeKind.CHANNEL_REMOVED,
}


# --- fields -------------------------------------------------------------------------------


def field_added(name: str, *, required: bool, content_model: ContentModel) -> Verdict:
    """A JSON field added; `content_model` is the OLD schema's (it governed old data)."""
    backward = forward = None
    if required:
        backward = (
            "it is missing from $old_data but required by $new_reader; "
            "add it as optional or with a default"
        )
    elif content_model is ContentModel.OPEN:
        backward = (
            f"the old content model is open, so $old_data may already carry an undeclared "
            f"'{name}' of another type; declare it under patternProperties or close the old "
            "model first"
        )
    if content_model is ContentModel.CLOSED:
        forward = (
            "$old_readers reject unknown properties (additionalProperties: false); "
            "upgrade them first or open the content model"
        )
    return Verdict(backward, forward)


def field_removed(name: str, *, required: bool, content_model: ContentModel) -> Verdict:
    """A JSON field removed; `content_model` is the NEW schema's (it reads old data, writes new)."""
    backward = forward = None
    if content_model is ContentModel.CLOSED:
        backward = (
            "$old_data may still carry it, and $new_reader will reject unknown properties "
            "(additionalProperties: false); keep it declared as deprecated or open the model"
        )
    if required:
        forward = "$old_readers still require it; deprecate first or make it optional"
    elif content_model is ContentModel.OPEN:
        forward = (
            f"the new content model is open, so new data may carry '{name}' with any type "
            "and $old_readers would reject it; keep it declared as deprecated instead"
        )
    return Verdict(backward, forward)


def property_added(
    name: str, *, required: bool, governed: str, backward: list[str], forward: list[str]
) -> Verdict:
    """A JSON Schema property declared in the new schema. `governed` names what decided the
    name's values in the old schema ("open": any value, "closed": none, "unknown", or the
    keyword, e.g. "additionalProperties"); `backward`/`forward` are the reasons why the old
    governing schema and the new declaration differ (from comparing the two)."""
    back, fwd = [], []
    if required:
        back.append(
            "it is missing from $old_data but required by $new_reader; "
            "add it as optional or with a default"
        )
    if backward and governed == "open":
        back.append(
            f"the old content model is open, so $old_data may already carry an undeclared "
            f"'{name}' of another type; declare it under patternProperties or close the old "
            "model first"
        )
    elif backward:
        back.append(
            f"$old_data may already carry an undeclared '{name}' valid under the old "
            f"{governed} but not under the new declaration ({'; '.join(backward)})"
        )
    if forward and governed == "closed":
        fwd.append(
            "$old_readers reject unknown properties (additionalProperties: false); "
            "upgrade them first or open the content model"
        )
    elif forward:
        fwd.append(
            f"new data may carry '{name}' values that the old {governed} rejects, and "
            f"$old_readers apply it ({'; '.join(forward)})"
        )
    return Verdict("; ".join(back) or None, "; ".join(fwd) or None)


def property_removed(
    name: str, *, required: bool, governed: str, backward: list[str], forward: list[str]
) -> Verdict:
    """A JSON Schema property no longer declared. `governed` names what decides the name's
    values in the new schema (as for `property_added`); `backward`/`forward` come from
    comparing the old declaration with it."""
    back, fwd = [], []
    if backward and governed == "closed":
        back.append(
            "$old_data may still carry it, and $new_reader will reject unknown properties "
            "(additionalProperties: false); keep it declared as deprecated or open the model"
        )
    elif backward:
        back.append(
            f"$old_data may still carry '{name}' with values that the new {governed} rejects "
            f"({'; '.join(backward)}); keep it declared as deprecated"
        )
    if required:
        fwd.append("$old_readers still require it; deprecate first or make it optional")
    if forward and governed == "open":
        fwd.append(
            f"the new content model is open, so new data may carry '{name}' with any type "
            "and $old_readers would reject it; keep it declared as deprecated instead"
        )
    elif forward:
        fwd.append(
            f"new data may carry '{name}' values that the new {governed} allows but "
            f"$old_readers reject ({'; '.join(forward)}); keep it declared as deprecated instead"
        )
    return Verdict("; ".join(back) or None, "; ".join(fwd) or None)


def combined(*verdicts: Verdict) -> Verdict:
    """One verdict for a change that is several at once (a rename: a removal and an addition)."""
    back = _unique([v.backward for v in verdicts if v.backward])
    fwd = _unique([v.forward for v in verdicts if v.forward])
    return Verdict("; ".join(back) or None, "; ".join(fwd) or None)


def reasons(changes: Iterable[Change]) -> tuple[list[str], list[str]]:
    """(why BACKWARD breaks, why FORWARD breaks) over a list of changes, without repeats."""
    changes = list(changes)
    return (
        _unique([c.verdict.backward for c in changes if c.verdict.backward]),
        _unique([c.verdict.forward for c in changes if c.verdict.forward]),
    )


def names_changed(what: str, backward: list[str], forward: list[str]) -> Verdict:
    """The schema for undeclared names (`what`: additionalProperties, a pattern) changed."""
    back = fwd = None
    if backward:
        back = (
            f"$old_data may carry {what} that $new_reader will now reject "
            f"({'; '.join(backward)}); declare them or keep the model open"
        )
    if forward:
        fwd = (
            f"new data may carry {what} that $old_readers reject ({'; '.join(forward)}); "
            "upgrade them first"
        )
    return Verdict(back, fwd)


def negation_changed(backward: list[str], forward: list[str]) -> Verdict:
    """`not` changed; the reasons compare the OLD excluded schema with the NEW one, so they
    swap: a wider exclusion rejects more data (BACKWARD), a narrower one lets more through."""
    back = fwd = None
    if forward:
        back = (
            "$old_data may match the new 'not' schema, which $new_reader now excludes "
            f"(the excluded schema grew: {'; '.join(forward)})"
        )
    if backward:
        fwd = (
            "new data may hold values the old 'not' schema excluded, which $old_readers "
            f"reject (the excluded schema shrank: {'; '.join(backward)})"
        )
    return Verdict(back, fwd)


def dependency_added(trigger: str, names: list[str]) -> Verdict:
    listed = ", ".join(repr(n) for n in names)
    return Verdict(
        backward=f"$old_data may have {trigger!r} without {listed}, which $new_reader now "
        "requires with it; keep the dependency optional"
    )


def dependency_removed(trigger: str, names: list[str]) -> Verdict:
    listed = ", ".join(repr(n) for n in names)
    return Verdict(
        forward=f"new data may have {trigger!r} without {listed}, which $old_readers still "
        "require with it; upgrade them first"
    )


def one_of_overlap(*, new_side: bool) -> Verdict:
    """oneOf rejects a value valid under several members: overlapping members break."""
    if new_side:
        return Verdict(
            backward="a member of the new oneOf accepts more than before (or is new) and may "
            "overlap another, so $old_data matching one member may match several, which "
            "oneOf rejects; make the members exclusive (e.g. by a discriminating const)"
        )
    return Verdict(
        forward="members of the old oneOf may overlap, so new data matching one changed "
        "member may match several old ones, which $old_readers reject"
    )


def field_renamed(*, reader_alias: bool = False, old_reader_alias: bool = False) -> Verdict:
    """A field renamed; readers find values by name, so only an alias on the reader helps."""
    backward = None
    if not reader_alias:
        backward = (
            "$new_reader will look for the new name, which is missing from $old_data; add the "
            "new field next to the old one (or a reader alias in Avro)"
        )
    forward = None
    if not old_reader_alias:
        forward = (
            "$old_readers look for the old name, which new data no longer has; "
            "keep both names through a deprecation period"
        )
    return Verdict(backward, forward)


def required_to_optional() -> Verdict:
    return Verdict(
        forward="$old_readers still require it and new data may omit it; "
        "keep it required until they are upgraded"
    )


def optional_to_required() -> Verdict:
    return Verdict(backward="$old_data may omit it; keep it optional or give it a default")


def avro_field_added(*, has_default: bool) -> Verdict:
    """An Avro reader ignores writer fields it lacks, and fills reader-only fields from defaults."""
    if has_default:
        return Verdict()
    return Verdict(
        backward="$old_data lacks it and the field has no default in $new_reader, so Avro "
        "schema resolution fails; add a default"
    )


def avro_field_removed(*, old_has_default: bool) -> Verdict:
    """A field only the old reader's schema has: it is read from its default, if any."""
    if old_has_default:
        return Verdict()
    return Verdict(
        forward="$old_readers have no default for it, and new data no longer carries it, so "
        "Avro schema resolution fails; give it a default in a release first, then remove it"
    )


def protobuf_field_added(*, required: bool) -> Verdict:
    """Protobuf readers keep unknown fields and read absent ones as their default value."""
    if not required:
        return Verdict()
    return Verdict(
        backward="$old_data lacks it and it is required (proto2), so $new_reader rejects it; "
        "add it as optional"
    )


def protobuf_field_removed(*, required: bool) -> Verdict:
    if not required:
        return Verdict()
    return Verdict(
        forward="$old_readers still require it (proto2) and new messages no longer carry it; "
        "make it optional in a release first, and reserve its field number"
    )


def avro_name_changed(*, reader_alias: bool, old_reader_alias: bool) -> Verdict:
    """Avro resolves records, enums and fixed types by unqualified name or reader alias."""
    backward = None
    if not reader_alias:
        backward = (
            "Avro matches named types by name, so $new_reader cannot read $old_data; "
            "add the old name to the new type's aliases"
        )
    forward = None
    if not old_reader_alias:
        forward = "Avro matches named types by name, so $old_readers cannot read new data"
    return Verdict(backward, forward)


def default_changed() -> Verdict:
    """A default only matters when one side lacks the field; it cannot break this pair."""
    return Verdict()


# --- types and values ---------------------------------------------------------------------


def readable(writer: str, reader: str) -> bool:
    """True when a reader of type `reader` can read a value written as `writer`.

    Avro labels carry a logical type after a slash ("int/date"): a reader without one reads
    the underlying type (Avro resolution ignores logical types), a reader with one needs the
    writer to promise the same meaning."""
    if reader == ANY_TYPE:
        return True
    writer_base, _, writer_logical = writer.partition("/")
    reader_base, _, reader_logical = reader.partition("/")
    if reader_logical and reader_logical != writer_logical:
        return False
    return reader_base == writer_base or reader_base in PROMOTIONS.get(writer_base, frozenset())


_AVRO_RULE = (
    "Avro resolves a union branch by branch and promotes only int -> long -> float -> double "
    "and string <-> bytes"
)


def type_change(
    old_types: Iterable[str],
    new_types: Iterable[str],
    language: Language = Language.JSON_SCHEMA,
) -> tuple[ChangeKind, Verdict] | None:
    """Classify a change of a set of alternative types; None when nothing changed."""
    old, new = sorted(set(old_types)), sorted(set(new_types))
    if old == new:
        return None
    unread_old = [t for t in old if not any(readable(t, n) for n in new)]
    unread_new = [t for t in new if not any(readable(t, o) for o in old)]
    backward = forward = None
    avro = language is Language.AVRO
    if unread_old:
        backward = f"$old_data may hold {_typed_values(unread_old)} that $new_reader cannot " + (
            f"resolve ({_AVRO_RULE}); keep a branch or type that reads them"
            if avro
            else "read; keep accepting them"
        )
    if unread_new:
        forward = f"new data may hold {_typed_values(unread_new)} that $old_readers cannot " + (
            f"resolve ({_AVRO_RULE}); upgrade them first"
            if avro
            else "read; upgrade them first or keep the old type"
        )
    if forward and not backward:
        kind = ChangeKind.TYPE_WIDENED
    elif backward and not forward:
        kind = ChangeKind.TYPE_NARROWED
    else:
        kind = ChangeKind.TYPE_CHANGED
    return kind, Verdict(backward, forward)


def alternative_removed(description: str) -> Verdict:
    """A union (anyOf/oneOf, Avro union) loses a member: the new reader accepts less."""
    return Verdict(
        backward=f"$old_data may be {description}, which $new_reader will no longer accept; "
        "keep that alternative until no such data is left"
    )


def alternative_added(description: str) -> Verdict:
    """A union gains a member: readers on the old schema do not know it."""
    return Verdict(
        forward=f"new data may be {description}, which $old_readers do not accept; "
        "upgrade them first"
    )


def type_summary(kind: ChangeKind, where: str, old: Any, new: Any) -> str:
    """'widening the type of /x from integer to number', for any of the three type kinds."""
    verb = {ChangeKind.TYPE_WIDENED: "widening", ChangeKind.TYPE_NARROWED: "narrowing"}
    return f"{verb.get(kind, 'changing')} the type of {where} from {_shown(old)} to {_shown(new)}"


def _shown(value: Any) -> str:
    if value is None:
        return "any"
    if isinstance(value, list | tuple | set):
        return "|".join(str(v) for v in value)
    return str(value)


def enum_values_added(values: list[Any], *, reader_default: bool = False) -> Verdict:
    if reader_default:
        return Verdict()
    return Verdict(
        forward=f"$old_readers reject {_values(values)}; upgrade them first, or give the enum "
        "a default or document it as extensible"
    )


def enum_values_removed(values: list[Any], *, reader_default: bool = False) -> Verdict:
    if reader_default:
        return Verdict()
    return Verdict(
        backward=f"$old_data may hold {_values(values)}, which $new_reader will reject; keep the "
        "values (deprecated) until no such data is left"
    )


def constraint_tightened(description: str) -> Verdict:
    return Verdict(
        backward=f"$old_data may violate the stricter {description}; keep the old bound "
        "or migrate the data first"
    )


def constraint_loosened(description: str) -> Verdict:
    return Verdict(
        forward=f"new data may go beyond the {description} that $old_readers enforce; "
        "upgrade them first"
    )


def constraint_changed(description: str) -> Verdict:
    return Verdict(
        backward=f"$old_data may violate the new {description}; compatibility cannot be proven",
        forward=f"new data may violate the old {description} that $old_readers enforce",
    )


def content_model_closed() -> Verdict:
    return Verdict(
        backward="$old_data may carry undeclared properties that $new_reader will now reject; "
        "declare them or keep the model open"
    )


def content_model_opened() -> Verdict:
    return Verdict(
        forward="new data may carry undeclared properties that $old_readers reject; "
        "upgrade them first"
    )


# --- operations, messages, media types ----------------------------------------------------


def interface_removed(what: str) -> Verdict:
    """An operation or channel disappears: its users break whichever side upgrades first."""
    why = (
        f"users of this {what} on the old contract still depend on it; deprecate it and "
        "remove it only after the deprecation window"
    )
    return Verdict(backward=why, forward=why)


def message_removed() -> Verdict:
    # A channel's message set is a union: removing a member narrows it (like an enum value).
    return Verdict(
        backward="$old_data (messages already in the channel, producers not yet upgraded) "
        "may be of this type, which $new_reader will no longer read; deprecate it first"
    )


def message_added() -> Verdict:
    return Verdict(forward="$old_readers do not know this message type; upgrade consumers first")


def media_type_removed() -> Verdict:
    return Verdict(
        backward="$old_data may use this media type, which $new_reader will no longer accept",
        forward="$old_readers expect this media type, which is no longer produced",
    )


def success_response_removed() -> Verdict:
    return Verdict(forward="$old_readers expect this response; keep it or version the API")


def neutral() -> Verdict:
    return Verdict()


# --- judging ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeprecationPolicy:
    """Removing something deprecated for at least `window_days` is reported, not breaking.

    Without a declared window nothing is waived: the marker is only mentioned."""

    window_days: int | None = None
    today: date | None = None

    def assess(self, change: Change) -> tuple[bool, str | None]:
        """(waived, explanation) for a change that would otherwise break."""
        if change.kind not in _REMOVALS or not change.deprecated:
            return False, None
        today = self.today or date.today()
        since = change.deprecated_since
        if self.window_days is None:
            marked = f" since {since.isoformat()}" if since else ""
            return False, (
                f"it is marked deprecated{marked}, but no deprecation window is declared; "
                "declare one to allow removing it"
            )
        if since is None:
            return False, (
                f"it is marked deprecated without a date (x-deprecated-since), so the "
                f"{self.window_days}-day deprecation window cannot be checked"
            )
        ends = since + timedelta(days=self.window_days)
        if ends <= today:
            return True, (
                f"it has been deprecated since {since.isoformat()}, at least the "
                f"{self.window_days}-day deprecation window"
            )
        return False, (
            f"it is deprecated since {since.isoformat()} but the {self.window_days}-day "
            f"deprecation window ends on {ends.isoformat()}"
        )


def checked_directions(mode: CompatibilityMode, role: Role) -> tuple[bool, bool]:
    """(check BACKWARD, check FORWARD) for data read by `role` under a declared mode."""
    if mode is CompatibilityMode.NONE:
        return False, False
    if role is Role.REQUEST:
        return True, mode.full
    if role is Role.RESPONSE:
        return mode.full, True
    return mode.checks_backward, mode.checks_forward


def judge(change: Change, mode: CompatibilityMode, policy: DeprecationPolicy) -> Difference:
    """Turn a mode-free change into a Difference with `breaking` and an actionable reason."""
    words = _VOCABULARY[change.role]
    if change.role is Role.DATA:
        words = _LANGUAGE_WORDS.get(change.language, words)
    back_why = _words(change.verdict.backward, words)
    fwd_why = _words(change.verdict.forward, words)
    check_back, check_fwd = checked_directions(mode, change.role)
    whys = _unique([w for w, on in ((back_why, check_back), (fwd_why, check_fwd)) if w and on])
    label = _label(mode, change.role)
    breaking = bool(whys)
    if breaking:
        waived, explanation = policy.assess(change)
        if waived:
            breaking = False
            reason = f"{change.summary} would break {label} ({'; '.join(whys)}), but {explanation}"
        else:
            reason = f"{change.summary} breaks {label}: {'; '.join(whys)}"
            if explanation:
                reason += f"; note: {explanation}"
    elif mode is CompatibilityMode.NONE:
        reason = f"{change.summary}: not checked, the mode is NONE"
    else:
        unchecked = [
            (name, why)
            for name, why, on in (
                ("BACKWARD", back_why, check_back),
                ("FORWARD", fwd_why, check_fwd),
            )
            if why and not on
        ]
        if unchecked:
            others = "; ".join(f"it would break {name}: {why}" for name, why in unchecked)
            reason = f"{change.summary} is compatible under {label}; {others}"
        else:
            reason = f"{change.summary} is compatible in both directions"
    if change.note:
        reason += f" ({change.note})"
    return Difference(
        kind=change.kind,
        pointer=change.pointer,
        breaking=breaking,
        reason=reason,
        old=change.old,
        new=change.new,
    )


def _label(mode: CompatibilityMode, role: Role) -> str:
    # HTTP decides the direction; only FULL (both) survives from the declared mode.
    if role is Role.REQUEST:
        return f"{'FULL' if mode.full else 'BACKWARD'} for requests (the server reads them)"
    if role is Role.RESPONSE:
        return f"{'FULL' if mode.full else 'FORWARD'} for responses (clients read them)"
    return mode.value


def _words(text: str | None, words: dict[str, str]) -> str | None:
    # Template, not str.format: field names may contain braces.
    return Template(text).safe_substitute(words) if text else None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _typed_values(types: list[str]) -> str:
    if ANY_TYPE in types:
        return "values of any type"
    return " or ".join(types) + " values"


def _values(values: list[Any]) -> str:
    shown = ", ".join(repr(v) for v in values)
    return f"value{'s' if len(values) > 1 else ''} {shown}"
