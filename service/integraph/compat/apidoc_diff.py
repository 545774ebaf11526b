"""What OpenAPI and AsyncAPI comparison share: a pair of documents whose schemas are compared
with the JSON Schema rules, `$ref`s resolved in each document."""

from __future__ import annotations

from typing import Any

from integraph.compat.jsonschema_diff import compare_json_schemas
from integraph.compat.model import Change, ChangeKind, ContentModel, Role, Verdict
from integraph.compat.refs import RefResolver


class DocumentPair:
    """The old and new document, their `$ref` resolvers, and the changes found so far."""

    def __init__(self, old: dict, new: dict, hint: ContentModel | None) -> None:
        self.old_doc, self.new_doc, self.hint = old, new, hint
        self.old, self.new = RefResolver(old), RefResolver(new)
        self.changes: list[Change] = []

    def add(
        self,
        kind: ChangeKind,
        pointer: str,
        summary: str,
        verdict: Verdict,
        old: Any = None,
        new: Any = None,
        **extra: Any,
    ) -> None:
        self.changes.append(Change(kind, pointer, summary, verdict, old=old, new=new, **extra))

    def schemas(self, old: Any, new: Any, pointer: str, role: Role) -> None:
        self.changes.extend(
            compare_json_schemas(
                old if old is not None else {},
                new if new is not None else {},
                old_root=self.old_doc,
                new_root=self.new_doc,
                pointer=pointer,
                role=role,
                content_model_hint=self.hint,
            )
        )

    def resolved(self, node: Any, side: str) -> Any:
        target, _ = (self.old if side == "old" else self.new).resolve(node)
        return target
