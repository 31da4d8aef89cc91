"""storage/rows.py: a row inserted on the connection, held as an ORM object of the session."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import event, select

from storage.models import Document, Source, Version
from storage.rows import insert_object

AT = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)


def _document_values(**over):
    values = dict(
        doc_number="国卫老龄发〔2026〕3号", doc_number_raw=None, title=None, agency=None, region=None,
        doc_type=None, status=None, signed_date=None, published_date=None, index_number=None, category=None,
        topics=[], first_seen=AT, last_seen=AT, authoritative_url=None, authoritative_source_id=None,
        draft_of_id=None, current_version_id=None, field_sources={},
    )
    return {**values, **over}


def _statements(archive):
    seen: list[str] = []
    event.listen(archive.engine, "before_cursor_execute",
                 lambda conn, cur, statement, *rest: seen.append(statement.split()[0].upper()))
    return seen


def test_the_object_is_persistent_and_its_changes_are_flushed_as_an_update(archive):
    with archive.transaction() as s:
        s.add(Source(id="gov", name="gov", kind="gov", family="generic"))
        s.flush()
        seen = _statements(archive)
        doc = insert_object(s, Document, **_document_values())
        version = insert_object(s, Version, document_id=doc.id, text="正文", text_hash="h1", signature=None,
                                signature_scheme=None, first_seen=AT, last_seen=AT, source_id="gov")
        assert seen == ["INSERT", "INSERT"]
        # every attribute is loaded: reading them asks the database nothing
        assert (doc.id, doc.topics, doc.field_sources, version.document_id) == (doc.id, [], {}, doc.id)
        assert s.get(Document, doc.id) is doc and seen == ["INSERT", "INSERT"]
        doc.title, doc.current_version_id = "关于推进医养结合的通知", version.id
        s.flush()
        assert seen[2:] == ["UPDATE"]
        doc_id = doc.id
    with archive.session() as s:
        row = s.execute(select(Document.title, Document.current_version_id, Document.doc_number)
                        .where(Document.id == doc_id)).one()
        assert tuple(row) == ("关于推进医养结合的通知", version.id, "国卫老龄发〔2026〕3号")


def test_every_column_must_be_given(archive):
    values = _document_values()
    del values["category"], values["topics"]
    with archive.transaction() as s, pytest.raises(TypeError, match="category, topics"):
        insert_object(s, Document, **values)
