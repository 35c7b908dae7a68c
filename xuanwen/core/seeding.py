"""The national default rows of a catalogue (activity types, facility kinds …), put in by the
app's migration.

Migrations call this with the rows written out in the migration itself, so a later change of an
app's models or defaults never changes what an old migration did; this function only creates
rows through the historical model and must stay that simple.
"""

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def seed_catalogue(
    app_label: str, model_name: str, rows: Sequence[dict[str, Any]]
) -> migrations.RunPython:
    """A migration operation that creates `rows` (field → value) of app_label.model_name; the
    reverse leaves them (the table goes with the model)."""

    def forward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        model.objects.bulk_create([model(**row) for row in rows])

    return migrations.RunPython(forward, migrations.RunPython.noop)
