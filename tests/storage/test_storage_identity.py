"""The identity rules (DESIGN "Identity and versions"), as a table, on both backends.

Each case is a sequence of pages. ``doc`` and ``ver`` are labels: pages with the same
label must land in the same Document (Version), pages with different labels in
different ones. ``rerun`` ingests every page once more afterwards, expecting each to
come out "unchanged" in the same Document and Version.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import func, select

from storage.api import get_document, ingest
from storage.models import Capture, Document, Version
from storage_samples import (
    DRAFT_C,
    FINAL_C,
    NOTICE_A,
    NOTICE_A_REVISED,
    NOTICE_B,
    later,
    page,
    site_copy,
)

NUM_A = "市政办发〔2016〕12号"
# A paragraph cut out of the middle: shorter, but not a truncation.
NOTICE_A_CUT = NOTICE_A[: len(NOTICE_A) // 3] + NOTICE_A[len(NOTICE_A) * 2 // 3 :]
NOTICE_A_ONE_SENTENCE = NOTICE_A.replace(
    "鼓励养老机构与周边的医疗卫生机构开展多种形式的协议合作，", "鼓励养老机构与周边的医疗卫生机构签订书面合作协议，")


@dataclass
class Step:
    source: str
    url: str
    text: str
    outcome: str
    doc: str
    ver: str
    fields: dict = field(default_factory=dict)


KINDS = {"gov": "gov", "gov2": "gov", "agg": "aggregator", "agg2": "aggregator", "share": "docshare"}

CASES = {
    "same 文号 on two sites is one document; the copy is the same version": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("agg", "http://agg.test/9.html", site_copy(NOTICE_A), "unchanged", "A", "1",
             {"doc_number": NUM_A, "doc_number_raw": "市政办发[2016]12号"}),
    ],
    "same 文号, a text below the copy threshold from another site is a new version": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("share", "http://share.test/d/1", NOTICE_A_CUT, "new_version", "A", "2", {"doc_number": NUM_A}),
    ],
    # --- the version rules at their edges ---
    "a preview (the first three quarters) is a sighting of the fuller text, not a version": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("share", "http://share.test/d/1", NOTICE_A[: len(NOTICE_A) * 3 // 4], "unchanged", "A", "1",
             {"doc_number": NUM_A}),
    ],
    "page 1 of 2 only, fetched again at the same URL, never replaces the whole text": [
        Step("agg", "http://agg.test/9.html", NOTICE_A, "new_document", "A", "1"),
        Step("agg", "http://agg.test/9.html", NOTICE_A[: len(NOTICE_A) // 2], "unchanged", "A", "1"),
    ],
    "a one-sentence revision published only by another government site is a new version": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("gov2", "http://gov2.test/a.html", NOTICE_A_ONE_SENTENCE, "new_version", "A", "2",
             {"doc_number": NUM_A}),
    ],
    "the same between two aggregators, without 文号": [
        Step("agg", "http://agg.test/9.html", NOTICE_A, "new_document", "A", "1"),
        Step("agg2", "http://agg2.test/x", NOTICE_A_ONE_SENTENCE, "new_version", "A", "2"),
    ],
    "a lesser site's copy differing by one sentence stays a copy of the government text": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("agg", "http://agg.test/9.html", site_copy(NOTICE_A_ONE_SENTENCE), "unchanged", "A", "1",
             {"doc_number": NUM_A}),
    ],
    "an equal-rank copy with only site noise is still a copy": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("gov2", "http://gov2.test/a.html", site_copy(NOTICE_A), "unchanged", "A", "1", {"doc_number": NUM_A}),
    ],
    "a copy without 文号, other line breaks and site noise, joins the numbered document": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("agg", "http://agg.test/9.html", site_copy(NOTICE_A), "unchanged", "A", "1"),
        Step("agg2", "http://agg2.test/x", site_copy(NOTICE_A, width=23), "unchanged", "A", "1"),
    ],
    "two copies without 文号 on different sites are one document and one version": [
        Step("agg", "http://agg.test/9.html", site_copy(NOTICE_B), "new_document", "B", "1"),
        Step("agg2", "http://agg2.test/x", site_copy(NOTICE_B, width=17), "unchanged", "B", "1"),
    ],
    "a numberless copy archived first: the government page joins it and names it": [
        Step("agg", "http://agg.test/9.html", site_copy(NOTICE_A), "new_document", "A", "1"),
        Step("gov", "http://gov.test/a.html", NOTICE_A, "unchanged", "A", "1", {"doc_number": NUM_A}),
    ],
    "a real change at the same URL is a new version": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("gov", "http://gov.test/a.html", NOTICE_A_REVISED, "new_version", "A", "2", {"doc_number": NUM_A}),
    ],
    "a real change from the same source at another URL is a new version": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("gov", "http://gov.test/a-v2.html", NOTICE_A_REVISED, "new_version", "A", "2",
             {"doc_number": NUM_A}),
    ],
    "a real change at the same URL without 文号 is a new version": [
        Step("agg", "http://agg.test/9.html", NOTICE_A, "new_document", "A", "1"),
        Step("agg", "http://agg.test/9.html", NOTICE_A_REVISED, "new_version", "A", "2"),
    ],
    "an unrelated notice on the same topic is another document": [
        Step("gov", "http://gov.test/a.html", NOTICE_A, "new_document", "A", "1"),
        Step("gov2", "http://gov2.test/b.html", NOTICE_B, "new_document", "B", "2"),
        Step("agg", "http://agg.test/b", site_copy(NOTICE_B), "unchanged", "B", "2"),
    ],
    "near-identical texts under different 文号 stay apart (templated notices)": [
        Step("gov", "http://gov.test/2016.html", NOTICE_A, "new_document", "A", "1", {"doc_number": NUM_A}),
        Step("gov", "http://gov.test/2017.html", site_copy(NOTICE_A), "new_document", "B", "2",
             {"doc_number": "市政办发〔2017〕3号"}),
    ],
    "a draft and its final are two documents": [
        Step("gov", "http://gov.test/draft.html", DRAFT_C, "new_document", "D", "1", {"status": "draft"}),
        Step("gov", "http://gov.test/final.html", FINAL_C, "new_document", "F", "2",
             {"doc_number": "市医保发〔2020〕7号"}),
        Step("agg", "http://agg.test/draft", site_copy(DRAFT_C), "unchanged", "D", "1", {"status": "draft"}),
    ],
    "short pages without 文号 are told apart by URL, never by their few words": [
        Step("gov", "http://gov.test/n1.html", "详见附件。", "new_document", "S1", "1"),
        Step("gov", "http://gov.test/n2.html", "详见附件。", "new_document", "S2", "2"),
    ],
}


def _run(archive, steps, start_hour=0):
    results = []
    for n, step in enumerate(steps):
        record = page(step.source, KINDS[step.source], step.url, step.text, at=later(start_hour + n), **step.fields)
        results.append(ingest(archive, record))
    return results


@pytest.mark.parametrize("rerun", [False, True], ids=["once", "rerun"])
@pytest.mark.parametrize("steps", list(CASES.values()), ids=list(CASES))
def test_identity_rules(archive, steps, rerun):
    results = _run(archive, steps)
    assert [r.outcome for r in results] == [s.outcome for s in steps]
    for label_of, id_of in ((lambda s: s.doc, lambda r: r.document_id), (lambda s: s.ver, lambda r: r.version_id)):
        ids: dict[str, int] = {}
        for step, result in zip(steps, results):
            assert ids.setdefault(label_of(step), id_of(result)) == id_of(result)
        assert len(set(ids.values())) == len(ids), "different labels must be different rows"

    if rerun:
        again = _run(archive, steps, start_hour=100)
        assert [r.outcome for r in again] == ["unchanged"] * len(steps)
        assert [(r.document_id, r.version_id) for r in again] == [
            (r.document_id, r.version_id) for r in results
        ]
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == len({st.doc for st in steps})
        assert s.scalar(select(func.count()).select_from(Version)) == len({st.ver for st in steps})
        assert s.scalar(select(func.count()).select_from(Capture)) == len(steps) * (2 if rerun else 1)


@pytest.mark.parametrize("draft_first", [True, False], ids=["draft-first", "final-first"])
def test_final_links_to_its_draft(archive, draft_first):
    draft = page("gov", "gov", "http://gov.test/draft.html", DRAFT_C, status="draft", title="实施方案（征求意见稿）")
    final = page("gov", "gov", "http://gov.test/final.html", FINAL_C, doc_number="市医保发〔2020〕7号", title="实施方案")
    order = [draft, final] if draft_first else [final, draft]
    first, second = (ingest(archive, r) for r in order)
    draft_id, final_id = (first, second) if draft_first else (second, first)
    assert draft_id.document_id != final_id.document_id
    d = get_document(archive, draft_id.document_id)
    f = get_document(archive, final_id.document_id)
    assert d.status == "draft" and f.status is None
    assert f.draft_of_id == d.id
    assert d.final_ids == [f.id]


@pytest.mark.parametrize("gov_first", [True, False], ids=["gov-first", "aggregator-first"])
def test_the_government_site_is_authoritative(archive, gov_first):
    gov = page("gov", "gov", "http://gov.test/a.html", NOTICE_A, at=later(5), doc_number=NUM_A,
               title="关于推进医养结合发展的通知", agency=None, region="某市")
    agg = page("agg", "aggregator", "http://agg.test/9.html", site_copy(NOTICE_A), at=later(1),
               doc_number=NUM_A, title="某市关于推进医养结合发展的通知_政策法规网", agency="某市人民政府办公室",
               published_date=None, topics=["医疗"])
    for record in ([gov, agg] if gov_first else [agg, gov]):
        result = ingest(archive, record)
    doc = get_document(archive, result.document_id)
    assert doc.authoritative_url == "http://gov.test/a.html"
    assert doc.authoritative_source_id == "gov"
    assert doc.title == "关于推进医养结合发展的通知"  # the government's title wins
    assert doc.agency == "某市人民政府办公室"  # a value only the aggregator had is kept
    assert doc.region == "某市"
    assert set(doc.topics) == {"医疗", "养老"}
    assert len(doc.versions) == 1
    # Whichever came first, the version shows the government's text, not the copy's noise.
    assert doc.text == NOTICE_A
    assert doc.first_seen == later(1) and doc.last_seen == later(5)


def test_current_version_follows_the_newest_government_text(archive):
    steps = [
        page("gov", "gov", "http://gov.test/a.html", NOTICE_A, at=later(0), doc_number=NUM_A),
        page("gov", "gov", "http://gov.test/a.html", NOTICE_A_REVISED, at=later(10), doc_number=NUM_A),
        # An aggregator still carrying the old text later must not make it current again,
        # and a document-sharing site's newer, different text does not either.
        page("agg", "aggregator", "http://agg.test/9", site_copy(NOTICE_A), at=later(20), doc_number=NUM_A),
        page("share", "docshare", "http://share.test/1", NOTICE_B[:200] + NOTICE_A_REVISED, at=later(30),
             doc_number=NUM_A),
    ]
    results = [ingest(archive, r) for r in steps]
    doc = get_document(archive, NUM_A)
    assert doc.current_version_id == results[1].version_id
    assert doc.text == NOTICE_A_REVISED
    # The page reverted to the first text: that text is current again.
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, at=later(40), doc_number=NUM_A))
    assert get_document(archive, NUM_A).current_version_id == results[0].version_id


def test_metadata_is_never_overwritten_with_nothing(archive):
    from datetime import date

    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM_A,
                         title="通知", agency="某市人民政府", signed_date=date(2016, 3, 8)))
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, at=later(1), doc_number=NUM_A,
                         title=None, agency=None, signed_date=None, published_date=date(2016, 3, 10)))
    doc = get_document(archive, NUM_A)
    assert (doc.title, doc.agency, doc.signed_date, doc.published_date) == (
        "通知", "某市人民政府", date(2016, 3, 8), date(2016, 3, 10)
    )


DRAFT_TITLE = "关于公开征求《某市长期护理保险制度试点实施方案（征求意见稿）》意见的通知"
FINAL_TITLE = "某市医疗保障局关于印发《某市长期护理保险制度试点实施方案》的通知"
AGENCY = "某市医疗保障局"


@pytest.mark.parametrize("final_fields, linked", [
    ({"title": FINAL_TITLE, "agency": AGENCY}, True),
    ({"title": FINAL_TITLE, "agency": None}, True),  # an aggregator's copy may not name the agency
    ({"title": FINAL_TITLE, "agency": "某市民政局"}, False),
    ({"title": FINAL_TITLE, "agency": AGENCY, "published_date": date(2019, 1, 1)}, False),  # before the draft
    ({"title": "某市医疗保障局关于印发《某市门诊慢特病管理办法》的通知", "agency": AGENCY}, False),
], ids=["same-stem-and-agency", "agency-unknown", "other-agency", "final-dated-before-draft", "other-policy"])
@pytest.mark.parametrize("draft_first", [True, False], ids=["draft-first", "final-first"])
def test_a_heavily_rewritten_final_is_linked_to_its_draft_by_title(archive, final_fields, linked, draft_first):
    draft = page("gov", "gov", "http://gov.test/draft.html", DRAFT_C, status="draft", title=DRAFT_TITLE,
                 agency=AGENCY, published_date=date(2020, 3, 1))
    # The final shares no more text with the draft than any two notices on the topic.
    final = page("gov", "gov", "http://gov.test/final.html", NOTICE_B, at=later(1), doc_number="市医保发〔2020〕9号",
                 **{"published_date": date(2020, 9, 1), **final_fields})
    results = [ingest(archive, r) for r in ([draft, final] if draft_first else [final, draft])]
    assert [r.outcome for r in results] == ["new_document", "new_document"]
    d_id, f_id = (results[0].document_id, results[1].document_id) if draft_first else (
        results[1].document_id, results[0].document_id)
    assert get_document(archive, f_id).draft_of_id == (d_id if linked else None)
