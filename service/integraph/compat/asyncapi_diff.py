"""AsyncAPI 2.x and 3.x documents compared channel by channel and message by message.
Consumers read the messages, so payloads follow the declared mode."""

from __future__ import annotations

import dataclasses
from typing import Any

from integraph.compat import modes
from integraph.compat.apidoc_diff import DocumentPair
from integraph.compat.avro_diff import compare_avro
from integraph.compat.deprecation import deprecation_of
from integraph.compat.model import Change, ChangeKind, CompatError, ContentModel, Role
from integraph.compat.refs import escape


def compare_asyncapi(old: dict, new: dict, hint: ContentModel | None = None) -> list[Change]:
    """Mode-free changes between two AsyncAPI documents of the same major version."""
    old_major, new_major = str(old.get("asyncapi", ""))[:1], str(new.get("asyncapi", ""))[:1]
    if old_major != new_major:
        raise CompatError(
            f"cannot compare AsyncAPI {old.get('asyncapi')} with {new.get('asyncapi')}: "
            "convert both to the same major version first"
        )
    docs = DocumentPair(old, new, hint)
    if old_major == "2":
        _compare_v2(docs)
    else:
        _compare_v3(docs)
    return docs.changes


def _compare_v2(docs: DocumentPair) -> None:
    old_channels = docs.old_doc.get("channels") or {}
    new_channels = docs.new_doc.get("channels") or {}
    for channel in {**old_channels, **new_channels}:
        old_item = docs.resolved(old_channels.get(channel), "old") or {}
        new_item = docs.resolved(new_channels.get(channel), "new") or {}
        for action in ("publish", "subscribe"):
            where = f"/channels/{escape(channel)}/{action}"
            old_op, new_op = old_item.get(action), new_item.get(action)
            _compare_interface(
                docs,
                old_op,
                new_op,
                where,
                "operation",
                f"{action} operation on {channel}",
                ChangeKind.OPERATION_ADDED,
                ChangeKind.OPERATION_REMOVED,
            )
            if old_op and new_op:
                _compare_messages(
                    docs,
                    _messages_v2(docs, old_op, "old"),
                    _messages_v2(docs, new_op, "new"),
                    f"{where}/message",
                )


def _messages_v2(docs: DocumentPair, op: dict, side: str) -> dict[str, dict]:
    message = op.get("message")
    members = message.get("oneOf") if isinstance(message, dict) else None
    listed = members if isinstance(members, list) else [message]
    return _keyed_messages(docs, listed, side)


def _compare_v3(docs: DocumentPair) -> None:
    old_channels = docs.old_doc.get("channels") or {}
    new_channels = docs.new_doc.get("channels") or {}
    for channel in {**old_channels, **new_channels}:
        where = f"/channels/{escape(channel)}"
        old_item = docs.resolved(old_channels.get(channel), "old")
        new_item = docs.resolved(new_channels.get(channel), "new")
        _compare_interface(
            docs,
            old_item,
            new_item,
            where,
            "channel",
            f"channel {channel}",
            ChangeKind.CHANNEL_ADDED,
            ChangeKind.CHANNEL_REMOVED,
        )
        if old_item and new_item:
            old_msgs = _keyed_messages(docs, old_item.get("messages") or {}, "old")
            new_msgs = _keyed_messages(docs, new_item.get("messages") or {}, "new")
            _compare_messages(docs, old_msgs, new_msgs, f"{where}/messages", always_keyed=True)
    old_ops = docs.old_doc.get("operations") or {}
    new_ops = docs.new_doc.get("operations") or {}
    for op_id in {**old_ops, **new_ops}:
        _compare_interface(
            docs,
            docs.resolved(old_ops.get(op_id), "old"),
            docs.resolved(new_ops.get(op_id), "new"),
            f"/operations/{escape(op_id)}",
            "operation",
            f"operation {op_id}",
            ChangeKind.OPERATION_ADDED,
            ChangeKind.OPERATION_REMOVED,
        )


def _compare_interface(
    docs: DocumentPair,
    old: Any,
    new: Any,
    where: str,
    noun: str,
    what: str,
    added: ChangeKind,
    removed: ChangeKind,
) -> None:
    if old and not new:
        deprecated, since = deprecation_of(old)
        docs.add(
            removed,
            where,
            f"removing {what}",
            modes.interface_removed(noun),
            what,
            None,
            deprecated=deprecated,
            deprecated_since=since,
        )
    elif new and not old:
        docs.add(added, where, f"adding {what}", modes.neutral(), None, what)


def _keyed_messages(docs: DocumentPair, listed: Any, side: str) -> dict[str, dict]:
    """Messages by messageId, name, reference or key (AsyncAPI 3 keys them in a map)."""
    items = list(listed.items()) if isinstance(listed, dict) else list(enumerate(listed))
    keyed: dict[str, dict] = {}
    for key, message in items:
        resolved = docs.resolved(message, side)
        if not isinstance(resolved, dict):
            continue
        ref = message.get("$ref") if isinstance(message, dict) else None
        name = (
            (key if isinstance(key, str) else None)
            or resolved.get("messageId")
            or resolved.get("name")
            or (ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None)
            or f"#{key}"
        )
        keyed[str(name)] = resolved
    return keyed


def _compare_messages(
    docs: DocumentPair,
    old: dict[str, dict],
    new: dict[str, dict],
    where: str,
    always_keyed: bool = False,
) -> None:
    if not always_keyed and len(old) == 1 and len(new) == 1:
        # a single message per operation: compare it whatever its name became
        _compare_message(docs, next(iter(old.values())), next(iter(new.values())), where)
        return
    for key in {**old, **new}:
        pointer = f"{where}/{escape(key)}"
        if key not in new:
            deprecated, since = deprecation_of(old[key])
            docs.add(
                ChangeKind.MESSAGE_REMOVED,
                pointer,
                f"removing message {key!r}",
                modes.message_removed(),
                key,
                None,
                deprecated=deprecated,
                deprecated_since=since,
            )
        elif key not in old:
            docs.add(
                ChangeKind.MESSAGE_ADDED,
                pointer,
                f"adding message {key!r}",
                modes.message_added(),
                None,
                key,
            )
        else:
            _compare_message(docs, old[key], new[key], pointer)


def _compare_message(docs: DocumentPair, old: dict, new: dict, pointer: str) -> None:
    old_format, old_payload = _payload(old)
    new_format, new_payload = _payload(new)
    if "avro" in old_format and "avro" in new_format:
        docs.changes.extend(
            dataclasses.replace(c, pointer=f"{pointer}/payload{c.pointer}")
            for c in compare_avro(old_payload, new_payload)
        )
    else:
        docs.schemas(old_payload, new_payload, f"{pointer}/payload", Role.DATA)
    if old.get("headers") or new.get("headers"):
        docs.schemas(old.get("headers"), new.get("headers"), f"{pointer}/headers", Role.DATA)


def _payload(message: dict) -> tuple[str, Any]:
    """(schema format, payload schema); AsyncAPI 3 may wrap it as {schemaFormat, schema}."""
    payload = message.get("payload")
    if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
        return str(payload["schemaFormat"]).lower(), payload["schema"]
    return str(message.get("schemaFormat", "")).lower(), payload
