"""Writes every record type repeats: storing an upload with its row and its audit entry."""

from typing import TypeVar

from django.db import models, transaction

from xuanwen.accounts.models import User
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import files

StoredT = TypeVar("StoredT", bound=models.Model)


def store_upload(
    *, user: User, record: StoredT, upload: files.CheckedUpload, unit_code: str
) -> StoredT:
    """Upload-then-save: write a checked upload's files into `record` (a photo, attachment or
    piece of evidence with its owner and kind set), save the row and audit it, all or nothing.

    The caller has checked the right to write and the upload's kind. Should the save or the
    audit fail, the files just written are deleted again: no row, no file.
    """
    # Every stored-upload model has `uploaded_by` (None when a command or import uploads).
    setattr(record, "uploaded_by", user if getattr(user, "pk", None) else None)  # noqa: B010
    try:
        files.write_upload(record, upload)
        with transaction.atomic():
            record.save()
            audit_record(
                actor=user,
                action=Action.CREATE,
                obj=record,
                unit_code=unit_code,
                after=snapshot(record),
            )
    except BaseException:
        files.discard_files([record])
        raise
    return record
