"""What one request may cost: selection depth, aliases, tokens, elements asked for, bytes, time.

Depth, aliases and tokens are strawberry's own limiters; the cost is counted here: each
object field costs the number of elements it may return, multiplied down the selection. A
page asks for `first` (or `limit`) elements; a relation list without one counts as
`LIST_GUESS` elements per parent.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

from integraph.config import Settings

LIST_GUESS = 5
PAGE_ARGUMENTS = ("first", "limit")
DEFAULT_PAGE = 100


def cost_rule(max_cost: int) -> type[ValidationRule]:
    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            context: ValidationContext = self.context
            fragments = {
                f.name.value: f
                for f in context.document.definitions
                if hasattr(f, "type_condition") and hasattr(f, "name") and f.name
            }
            cost = _cost(node.selection_set, 1, fragments, 0)
            if cost > max_cost:
                context.report_error(
                    GraphQLError(
                        f"the query asks for up to {cost} elements; the limit is {max_cost} "
                        "(ask for smaller pages with `first`)",
                        node,
                        extensions={"code": "QUERY_TOO_COSTLY"},
                    )
                )

    return CostLimit


def _cost(
    selection: SelectionSetNode | None, multiplier: int, fragments: dict[str, Any], depth: int
) -> int:
    if selection is None or depth > 50:
        return 0
    total = 0
    for item in selection.selections:
        if isinstance(item, FieldNode):
            if item.selection_set is None:
                continue
            factor = _page_size(item)
            total += multiplier * factor
            total += _cost(item.selection_set, multiplier * factor, fragments, depth + 1)
        elif isinstance(item, InlineFragmentNode):
            total += _cost(item.selection_set, multiplier, fragments, depth + 1)
        elif isinstance(item, FragmentSpreadNode):
            fragment = fragments.get(item.name.value)
            if fragment is not None:
                total += _cost(fragment.selection_set, multiplier, fragments, depth + 1)
    return total


def _page_size(field: FieldNode) -> int:
    for argument in field.arguments or ():
        if argument.name.value in PAGE_ARGUMENTS:
            value = argument.value
            return int(value.value) if isinstance(value, IntValueNode) else DEFAULT_PAGE
    return LIST_GUESS if field.name.value.endswith(("s", "_by", "By", "via")) else 1


def limit_extensions(settings: Settings) -> list[Any]:
    """The schema extensions enforcing the configured limits."""
    cost = cost_rule(settings.api_max_cost)
    return [
        lambda: QueryDepthLimiter(max_depth=settings.api_max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.api_max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.api_max_tokens),
        lambda: AddValidationRules([cost]),
    ]
