"""OpenAPI 3.x documents compared operation by operation (method + path). HTTP fixes who reads
what: the server reads requests (BACKWARD rules), clients read responses (FORWARD rules)."""

from __future__ import annotations

import re
from typing import Any

from integraph.compat import modes
from integraph.compat.apidoc_diff import DocumentPair
from integraph.compat.deprecation import deprecation_of
from integraph.compat.model import Change, ChangeKind, ContentModel, Role, Verdict
from integraph.compat.refs import escape

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Servers ignore parameters they do not know and require the ones they declare: that is the
# partially open content model, so adding an optional parameter or removing one is safe.
_PARAMETERS_MODEL = ContentModel.PARTIALLY_OPEN


def compare_openapi(old: dict, new: dict, hint: ContentModel | None = None) -> list[Change]:
    """Mode-free changes between two OpenAPI 3.x documents, per operation (method + path).

    Objects that do not declare `additionalProperties` count as partially open: HTTP peers
    ignore unknown properties but type the declared ones, which yields oasdiff's verdicts
    (RULES.md, OpenAPI column)."""
    docs = DocumentPair(old, new, hint or ContentModel.PARTIALLY_OPEN)
    old_ops, new_ops = _operations(docs, "old"), _operations(docs, "new")
    for key, (path, method, op, _) in old_ops.items():
        if key not in new_ops:
            deprecated, since = deprecation_of(op)
            name = f"{method.upper()} {path}"
            docs.add(
                ChangeKind.OPERATION_REMOVED,
                _op_pointer(path, method),
                f"removing operation {name}",
                modes.interface_removed("operation"),
                name,
                None,
                deprecated=deprecated,
                deprecated_since=since,
            )
    for key, (path, method, op, item) in new_ops.items():
        name = f"{method.upper()} {path}"
        if key not in old_ops:
            docs.add(
                ChangeKind.OPERATION_ADDED,
                _op_pointer(path, method),
                f"adding operation {name}",
                modes.neutral(),
                None,
                name,
            )
            continue
        _, _, old_op, old_item = old_ops[key]
        pointer = _op_pointer(path, method)
        _compare_parameters(docs, old_op, old_item, op, item, pointer)
        _compare_request_body(docs, old_op.get("requestBody"), op.get("requestBody"), pointer)
        _compare_responses(
            docs, old_op.get("responses") or {}, op.get("responses") or {}, pointer, name
        )
    return docs.changes


def _operations(docs: DocumentPair, side: str) -> dict[tuple[str, str], tuple]:
    doc = docs.old_doc if side == "old" else docs.new_doc
    found = {}
    for path, item in (doc.get("paths") or {}).items():
        item = docs.resolved(item, side)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                # /pets/{id} and /pets/{petId} are the same operation
                template = re.sub(r"\{[^}]*\}", "{}", str(path))
                found[(method, template)] = (str(path), method, item[method], item)
    return found


def _op_pointer(path: str, method: str) -> str:
    return f"/paths/{escape(path)}/{method}"


def _parameters(docs: DocumentPair, op: dict, item: dict, side: str) -> dict[tuple[str, str], dict]:
    params: dict[tuple[str, str], dict] = {}
    for param in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        param = docs.resolved(param, side)
        if isinstance(param, dict) and "name" in param:
            location = str(param.get("in", "query"))
            name = str(param["name"])
            params[(location, name.lower() if location == "header" else name)] = param
    return params


def _parameter_schema(param: dict) -> Any:
    if "schema" in param:
        return param["schema"]
    content = param.get("content") or {}
    return next((m.get("schema") for m in content.values() if isinstance(m, dict)), {})


def _compare_parameters(
    docs: DocumentPair, old_op: dict, old_item: dict, new_op: dict, new_item: dict, pointer: str
) -> None:
    old_params = _parameters(docs, old_op, old_item, "old")
    new_params = _parameters(docs, new_op, new_item, "new")
    for key in {**old_params, **new_params}:
        location, name = key
        where = f"{pointer}/parameters/{escape(location)}/{escape(name)}"
        old, new = old_params.get(key), new_params.get(key)
        old_req = bool(old and (old.get("required") or location == "path"))
        new_req = bool(new and (new.get("required") or location == "path"))
        label = (
            f"{'required' if (new_req if new else old_req) else 'optional'} {location} parameter"
        )
        if new is None:
            deprecated, since = deprecation_of(old)
            docs.add(
                ChangeKind.FIELD_REMOVED,
                where,
                f"removing {label} {name!r}",
                modes.field_removed(name, required=old_req, content_model=_PARAMETERS_MODEL),
                old,
                None,
                role=Role.REQUEST,
                deprecated=deprecated,
                deprecated_since=since,
            )
        elif old is None:
            docs.add(
                ChangeKind.FIELD_ADDED,
                where,
                f"adding {label} {name!r}",
                modes.field_added(name, required=new_req, content_model=_PARAMETERS_MODEL),
                None,
                new,
                role=Role.REQUEST,
            )
        else:
            _compare_required(docs, old_req, new_req, where, f"{location} parameter {name!r}")
            docs.schemas(_parameter_schema(old), _parameter_schema(new), where, Role.REQUEST)


def _compare_required(docs: DocumentPair, old: bool, new: bool, where: str, what: str) -> None:
    if old and not new:
        docs.add(
            ChangeKind.REQUIRED_TO_OPTIONAL,
            where,
            f"making the {what} optional",
            modes.required_to_optional(),
            True,
            False,
            role=Role.REQUEST,
        )
    elif new and not old:
        docs.add(
            ChangeKind.OPTIONAL_TO_REQUIRED,
            where,
            f"making the {what} required",
            modes.optional_to_required(),
            False,
            True,
            role=Role.REQUEST,
        )


def _compare_request_body(docs: DocumentPair, old: Any, new: Any, pointer: str) -> None:
    old, new = docs.resolved(old, "old"), docs.resolved(new, "new")
    where = f"{pointer}/requestBody"
    if not old and not new:
        return
    if not new:
        required = bool(old.get("required"))
        docs.add(
            ChangeKind.FIELD_REMOVED,
            where,
            "removing the request body",
            modes.field_removed("requestBody", required=required, content_model=_PARAMETERS_MODEL),
            None,
            None,
            role=Role.REQUEST,
        )
        return
    if not old:
        required = bool(new.get("required"))
        docs.add(
            ChangeKind.FIELD_ADDED,
            where,
            f"adding a{' required' if required else 'n optional'} request body",
            modes.field_added("requestBody", required=required, content_model=_PARAMETERS_MODEL),
            None,
            None,
            role=Role.REQUEST,
        )
        return
    _compare_required(
        docs, bool(old.get("required")), bool(new.get("required")), where, "request body"
    )
    _compare_content(docs, old.get("content") or {}, new.get("content") or {}, where, Role.REQUEST)


def _compare_content(docs: DocumentPair, old: dict, new: dict, pointer: str, role: Role) -> None:
    for media in {**old, **new}:
        where = f"{pointer}/{escape(media)}"
        if media not in new:
            docs.add(
                ChangeKind.MEDIA_TYPE_REMOVED,
                where,
                f"removing media type {media}",
                modes.media_type_removed(),
                media,
                None,
                role=role,
            )
        elif media not in old:
            docs.add(
                ChangeKind.MEDIA_TYPE_ADDED,
                where,
                f"adding media type {media}",
                modes.neutral(),
                None,
                media,
                role=role,
            )
        else:
            docs.schemas(
                (old[media] or {}).get("schema"), (new[media] or {}).get("schema"), where, role
            )


def _compare_responses(docs: DocumentPair, old: dict, new: dict, pointer: str, name: str) -> None:
    old = {str(k): v for k, v in old.items()}
    new = {str(k): v for k, v in new.items()}
    for status in {**old, **new}:
        where = f"{pointer}/responses/{escape(status)}"
        success = status.startswith("2")
        if status not in new:
            verdict = modes.success_response_removed() if success else modes.neutral()
            docs.add(
                ChangeKind.RESPONSE_REMOVED,
                where,
                f"removing response {status} of {name}",
                verdict,
                status,
                None,
                role=Role.RESPONSE,
            )
            continue
        if status not in old:
            docs.add(
                ChangeKind.RESPONSE_ADDED,
                where,
                f"adding response {status} to {name}",
                modes.neutral(),
                None,
                status,
                role=Role.RESPONSE,
            )
            continue
        before = len(docs.changes)
        old_resp, new_resp = docs.resolved(old[status], "old"), docs.resolved(new[status], "new")
        _compare_content(
            docs,
            (old_resp or {}).get("content") or {},
            (new_resp or {}).get("content") or {},
            where,
            Role.RESPONSE,
        )
        details = docs.changes[before:]
        if details and (status.startswith(("4", "5")) or status == "default"):
            docs.add(
                ChangeKind.ERROR_FORMAT_CHANGED,
                where,
                f"changing the error format of response {status} of {name}",
                _summarised(details),
                None,
                None,
                role=Role.RESPONSE,
                note=f"{len(details)} difference(s) listed under {where}",
            )


def _summarised(details: list[Change]) -> Verdict:
    """An error-format change breaks a direction when one of its details does."""
    why = "the error body changed in a way {} cannot parse; see the differences under it"
    return Verdict(
        backward=why.format("$new_reader") if any(d.verdict.backward for d in details) else None,
        forward=why.format("$old_readers") if any(d.verdict.forward for d in details) else None,
    )
