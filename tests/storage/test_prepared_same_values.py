"""A page's preparation (storage/prepared.py) made cheaper must make the same values as
before, bit for bit: the normalized text and its hash, the MinHash signature and the
search tokens are stored, and an archive's old rows must keep matching new pages.

The reference below is the implementation before the change (the text folded once per
use, bigrams sliced one by one, distinct characters found by a second pass, every
shingle's digest sliced in Python), kept here only to compare against. The texts: every
sample site's detail pages and generated bench pages of both templates, read by
extraction, plus hand-made texts that reach the rare branches (false bigrams, long
words, supplementary-plane characters, the short and empty texts)."""
from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from crawler.extract import extract_page
from crawler.extract.model import Extraction
from crawler.items import CapturedPart, PageRecord
from crawler.samples.gen.bench import build_site
from crawler.samples.server import sample_registry_path, sample_root
from storage import neardup, search_tokens
from storage.normalize import _DROP
from storage.prepared import prepare

_CJK = search_tokens._CJK
_RUN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")
_CJK_CHAR = re.compile(rf"[{_CJK}]")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def reference_tokens(text: str) -> list[str]:
    if not text:
        return []
    text = _fold(text)
    false = search_tokens.FALSE_BIGRAMS
    skip = {m.start() + false[m.group(0)] for m in search_tokens._FALSE_RE.finditer(text)}
    out: list[str] = []
    for m in _RUN.finditer(text):
        run = m.group(0)
        if m.group(1) is None:
            if len(run) <= search_tokens.MAX_WORD:
                out.append(run)
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1) if m.start() + i not in skip)
    return out


def reference_body_tokens(body: str) -> search_tokens.BodyTokens:
    chars = dict.fromkeys(_CJK_CHAR.findall(_fold(body)))
    return search_tokens.BodyTokens(hashlib.sha256(body.encode()).hexdigest(), " ".join(reference_tokens(body)),
                                    tuple(chars))


def reference_minhash(normalized: str) -> np.ndarray | None:
    if len(normalized) < neardup.MIN_CHARS:
        return None
    size = neardup.SHINGLE_SIZE
    items = {normalized[i : i + size].encode("utf-8") for i in range(len(normalized) - size + 1)}
    hashes = np.frombuffer(b"".join(hashlib.sha1(s).digest()[:4] for s in items), dtype="<u4").astype(np.uint32)
    a, b = neardup._permutations()
    least = np.full(neardup.NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    for start in range(0, len(hashes), neardup._BLOCK):
        block = neardup._fmix32(hashes[start : start + neardup._BLOCK])
        np.minimum(least, (np.outer(block, a) + b).min(axis=0), out=least)
    return least


def _sample_texts() -> list[str]:
    expected = tomllib.loads((sample_registry_path().parent / "expected.toml").read_text(encoding="utf-8"))
    www = sample_root()
    return [extract_page((www / p["parts"][0].lstrip("/")).read_bytes(), "http://sample.local" + p["path"]).text or ""
            for p in expected["page"]]


def _bench_texts(tmp: Path) -> list[str]:
    texts = []
    for chrome in ("portal", "minimal"):
        site = build_site(tmp / chrome, 30, chrome=chrome)
        texts += [extract_page(f.read_bytes(), "http://bench.local/a.html").text or "" for f in site.detail_files()]
    return texts


MADE = [
    "",
    "医",
    "中医保健和保护理念，营养老人；养老年金与医疗养老。西医保守治疗" * 3,  # every false bigram
    "COVID-19 疫情 2019年 Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ １２３ " * 4,  # NFKC and case folding
    "x" * 70 + " 一" + "z" * 65,  # a word past MAX_WORD, a lone character
    "𠀀𠀁𠀂 扩展乙区的字 \U0002A6A5\U0002A6A6 与基本区混排的一段文字，足够长以便计算签名。" * 3,  # 4-byte UTF-8
    "详见附件" * 15,
    "各县（市、区）人民政府：\n现将《实施方案》印发给你们，请认真贯彻执行。\u200b\ufeff" * 4,
]


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    found = _sample_texts() + _bench_texts(tmp_path_factory.mktemp("bench"))
    assert sum(1 for t in found if len(t) > 200) > 40  # the pages were read, not empty
    return found + MADE


def _record(text: str) -> PageRecord:
    part = CapturedPart(url="http://a.local/1.html", final_url="http://a.local/1.html", status=200, body=b"",
                        fetched_at=None)  # type: ignore[arg-type]
    return PageRecord("s", "gov", [part], Extraction(text=text))


def test_prepared_values_are_the_ones_made_before(texts):
    for text in texts:
        page = prepare(_record(text))
        normalized = _fold(text).translate(_DROP)
        assert page.normalized == normalized
        assert page.text_hash == hashlib.sha256(normalized.encode()).hexdigest()
        assert page.body_tokens == reference_body_tokens(text)
        old = reference_minhash(normalized)
        if old is None:
            assert page.signature is None
        else:
            assert page.signature is not None and np.array_equal(page.signature.values, old)


def test_field_tokens_are_the_ones_made_before(texts):
    for text in texts:
        assert search_tokens.tokens(text) == reference_tokens(text)
        assert search_tokens.token_string(text[:80]) == " ".join(reference_tokens(text[:80]))
