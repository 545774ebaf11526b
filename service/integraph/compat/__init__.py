"""Contract compatibility: schema differences classified under Schema Registry modes.

Compares JSON Schema (drafts 4 to 2020-12), Avro, OpenAPI 3.x and AsyncAPI 2.x/3.x documents,
or the graph's flat field lists, and says which differences break the declared mode and why.
"""

from integraph.compat.compare import (
    check_history,
    diff_field_lists,
    diff_schema_files,
    diff_schemas,
)
from integraph.compat.loader import detect_family, load_schema
from integraph.compat.model import (
    ChangeKind,
    CompatError,
    CompatibilityMode,
    CompatibilityReport,
    ContentModel,
    Difference,
    SchemaFamily,
    SchemaLoadError,
)

__all__ = [
    "ChangeKind",
    "CompatError",
    "CompatibilityMode",
    "CompatibilityReport",
    "ContentModel",
    "Difference",
    "SchemaFamily",
    "SchemaLoadError",
    "check_history",
    "detect_family",
    "diff_field_lists",
    "diff_schema_files",
    "diff_schemas",
    "load_schema",
]
