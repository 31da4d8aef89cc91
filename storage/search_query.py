"""The search query language, parsed once and compiled for FTS5 and for PostgreSQL tsquery.

    养老 医保            both words (AND is the default)
    "长期护理保险"        a phrase
    长期护理 OR 失能      either (OR binds tighter than the implicit AND)
    养老 -征求意见稿      養老 without 征求意见稿
    国办发[2019]5号       a 文号, in any bracket form (normalized as the archive keys them)

Traditional characters are converted to simplified (OpenCC t2s) and both forms are
searched. Anything else in a user string is data: it is tokenized into bigrams, never
passed through as FTS5 or tsquery syntax, so operators, quotes and SQL fragments in a
query can only ever match text. Limits keep a 10,000-character paste from becoming a
query the database cannot plan.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from crawler.vocab.docnumber import TAILS, normalize_doc_number
from storage import search_tokens as st

MAX_QUERY_CHARS = 10_000
MAX_TERMS = 32
MAX_TERM_TOKENS = 64

# Quotes people type around a phrase: ASCII, curly, CJK corner brackets.
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "”": "”"}


class QueryError(ValueError):
    """A query that cannot be searched; the message is one line for the user."""


@dataclass(frozen=True)
class Segment:
    """A run of tokens that must be adjacent, or a single character (``char``)."""

    tokens: tuple[str, ...] = ()
    char: str | None = None
    prefix: bool = False  # the last token may continue (a single character at the end)


@dataclass(frozen=True)
class Alternative:
    """One way of writing a term (the query's own form, or its simplified form)."""

    text: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Term:
    text: str
    alternatives: tuple[Alternative, ...]
    doc_number: str | None = None  # the normalized 文号, when the term is one


@dataclass
class Query:
    groups: list[list[Term]] = field(default_factory=list)  # AND of ORs
    excluded: list[Term] = field(default_factory=list)

    @property
    def needles(self) -> list[str]:
        """The literal strings a snippet marks."""
        out: list[str] = []
        for group in self.groups:
            for term in group:
                for alt in term.alternatives:
                    out.extend(p for p in _plain_parts(alt.text) if p)
        return sorted(dict.fromkeys(out), key=len, reverse=True)

    @property
    def single_chars_only(self) -> bool:
        return all(
            all(seg.char is not None for alt in t.alternatives for seg in alt.segments)
            for group in self.groups for t in group
        )


def _plain_parts(text: str) -> list[str]:
    """What a snippet can find literally: the term's runs of letters, digits and CJK."""
    return [run for _, run in st.runs(st.normalize(text))]


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # a lean install still searches, only without the conversion
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    converter = _t2s()
    return converter.convert(text) if converter is not None else text


def _segments(text: str) -> tuple[Segment, ...]:
    segs: list[Segment] = []
    current: list[str] = []
    pieces = st.runs(st.normalize(text))
    for i, (is_cjk, run) in enumerate(pieces):
        if is_cjk and len(run) == 1 and len(pieces) > 1 and i == 0:
            # A leading single character may end a longer run in the text: it cannot be
            # part of the phrase, only required on its own.
            segs.append(Segment(char=run))
            continue
        if is_cjk and len(run) == 1 and len(pieces) == 1:
            segs.append(Segment(char=run))
            continue
        current.extend(st.tokens(run))
    if current:
        last_is_single_cjk = bool(pieces) and pieces[-1][0] and len(pieces[-1][1]) == 1 and len(pieces) > 1
        segs.append(Segment(tokens=tuple(current[:MAX_TERM_TOKENS]), prefix=last_is_single_cjk))
    return tuple(segs)


def _term(text: str) -> Term | None:
    number = None
    if any(tail.search(st.normalize(text)) for tail in TAILS):
        number = normalize_doc_number(text)
    forms = [number] if number else []
    forms.append(text)
    simplified = to_simplified(text)
    if simplified != text:
        forms.append(simplified)
    alternatives: list[Alternative] = []
    for form in dict.fromkeys(forms):
        segs = _segments(form)
        if segs and all(a.segments != segs for a in alternatives):
            alternatives.append(Alternative(form, segs))
    if not alternatives:
        return None  # nothing searchable in it: punctuation, operators, "*"
    return Term(text=text, alternatives=tuple(alternatives), doc_number=number)


def _lex(query: str) -> list[tuple[str, str]]:
    """[(kind, text)]: kind is "word", "phrase", "or", or "not-word"/"not-phrase"."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace() or ch == "\u3000":
            i += 1
            continue
        negate = False
        if ch in "-－" and i + 1 < n and not query[i + 1].isspace():
            negate, i = True, i + 1
            ch = query[i]
        if ch in _QUOTES:
            close = _QUOTES[ch]
            end = query.find(close, i + 1)
            if end < 0:
                end = n  # an unclosed quote runs to the end, as people mean it
            out.append(("not-phrase" if negate else "phrase", query[i + 1 : end]))
            i = end + 1
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] != "\u3000" and query[j] not in _QUOTES:
            j += 1
        word = query[i:j]
        if word == "OR" and not negate:
            out.append(("or", word))
        else:
            out.append(("not-word" if negate else "word", word))
        i = j
    return out


def parse(query: str) -> Query:
    """The Query for a user's string; QueryError if nothing in it can be searched."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(query)} characters (at most {MAX_QUERY_CHARS})")
    parsed = Query()
    seen: set[tuple[str, ...]] = set()
    pending_or = False
    for kind, text in _lex(query):
        if kind == "or":
            pending_or = bool(parsed.groups)
            continue
        term = _term(text)
        if term is None:
            continue
        key = tuple(a.text for a in term.alternatives)
        if kind.startswith("not-"):
            parsed.excluded.append(term)
        elif pending_or:
            if key not in {tuple(a.text for a in t.alternatives) for t in parsed.groups[-1]}:
                parsed.groups[-1].append(term)
        elif key not in seen:
            parsed.groups.append([term])
        seen.add(key)
        pending_or = False
        if len(parsed.groups) + len(parsed.excluded) > MAX_TERMS or sum(map(len, parsed.groups)) > MAX_TERMS:
            raise QueryError(f"query too long: more than {MAX_TERMS} different words")
    if not parsed.groups:
        if parsed.excluded:
            raise QueryError("a query needs at least one word that is not excluded")
        raise QueryError(f"nothing to search for in {_shown(query)}: use words, \"phrases\", OR, -word")
    return parsed


def _shown(query: str) -> str:
    q = " ".join(query.split())
    return repr(q if len(q) <= 40 else q[:40] + "…")


# --- FTS5 ---------------------------------------------------------------------------

def _fts_quote(token: str) -> str:
    # Tokens are letters, digits or CJK (search_tokens guarantees it); quoting still
    # keeps FTS5 from reading a token such as "or" or "near" as an operator.
    return '"' + token.replace('"', '""') + '"'


def _fts_segment(seg: Segment) -> str:
    if seg.char is not None:
        return f"chars : {_fts_quote(seg.char)}"
    phrase = " + ".join(_fts_quote(t) for t in seg.tokens)
    return phrase + (" *" if seg.prefix else "")


def _fts_alternative(alt: Alternative) -> str:
    parts = [_fts_segment(s) for s in alt.segments]
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def _fts_term(term: Term) -> str:
    alts = [_fts_alternative(a) for a in term.alternatives]
    return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"


def to_fts5(query: Query, extra: list[str] | None = None) -> str:
    groups = []
    for group in query.groups:
        terms = [_fts_term(t) for t in group]
        groups.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
    expr = " AND ".join(groups)
    for term in query.excluded:
        expr = f"({expr}) NOT {_fts_term(term)}"
    # No column filter (it makes FTS5 read every position list): the region, agency and tag
    # columns hold prefixed tokens that no query token can equal.
    return " AND ".join([f"({expr})" if extra else expr, *(extra or [])])


def fts5_field_phrase(prefix: str, text: str) -> str | None:
    """A filter on region or agency: its text as a phrase of that field's tokens, which
    carry the field's prefix (st.field_tokens), so no column filter is needed."""
    segs = _segments(text)
    if not segs:
        return None
    parts = []
    for seg in segs:
        toks = [seg.char] if seg.char is not None else list(seg.tokens)
        prefixed = " + ".join(_fts_quote(prefix + t) for t in toks)
        parts.append(prefixed + (" *" if seg.prefix or seg.char is not None else ""))
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


# --- PostgreSQL tsquery --------------------------------------------------------------


def ts_field_query(prefix: str, text: str) -> str | None:
    """A filter on region or agency as a tsquery: all its tokens, with the field's prefix
    (search_index.filter_lexemes), the last one open-ended where fts5_field_phrase's is."""
    parts = []
    for seg in _segments(text):
        toks = [seg.char] if seg.char is not None else list(seg.tokens)
        quoted = [_ts_quote(prefix + t) for t in toks]
        if seg.prefix or seg.char is not None:
            quoted[-1] += ":*"
        parts.extend(quoted)
    return " & ".join(parts) or None

def _ts_quote(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def _ts_segment(seg: Segment, form: str = "exact") -> str:
    """``form``: "gin" is to_gin_tsquery's (a phrase as all its tokens, no weight);
    "estimate" is to_estimate_tsquery's (a phrase as its middle token)."""
    if seg.char is not None:
        # the distinct-character lexemes carry weight C
        return _ts_quote(seg.char) + (":C" if form == "exact" else "")
    toks = [_ts_quote(t) for t in seg.tokens]
    if seg.prefix:
        toks[-1] += ":*"
    if form == "estimate":
        return toks[len(toks) // 2]
    return toks[0] if len(toks) == 1 else "(" + (" <-> " if form == "exact" else " & ").join(toks) + ")"


def _ts_term(term: Term, form: str = "exact") -> str:
    alts = []
    for alt in term.alternatives:
        parts = [_ts_segment(s, form) for s in alt.segments]
        alts.append(parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")")
    return alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")"


def _ts_groups(query: Query, form: str) -> str:
    groups = []
    for group in query.groups:
        terms = [_ts_term(t, form) for t in group]
        groups.append(terms[0] if len(terms) == 1 else "(" + " | ".join(terms) + ")")
    return " & ".join(groups)


def to_tsquery(query: Query) -> str:
    expr = _ts_groups(query, "exact")
    for term in query.excluded:
        expr = f"({expr}) & !{_ts_term(term)}"
    return expr


def to_gin_tsquery(query: Query) -> tuple[str, bool]:
    """(a tsquery that the GIN index answers without reading any tsvector, whether it
    matches exactly what ``to_tsquery`` does).

    Phrases become all their tokens (a superset: adjacency needs the positions, which only
    the tsvector has) and excluded terms are dropped (superset again). A character needs no
    weight: every character of a document is among its distinct characters, which carry C.
    """
    segments = [seg for group in query.groups for t in group for alt in t.alternatives for seg in alt.segments]
    exact = not query.excluded and all(len(seg.tokens) <= 1 for seg in segments)
    return _ts_groups(query, "gin"), exact


def to_estimate_tsquery(query: Query) -> str:
    """A query matching about as many documents as ``query``, for the planner to estimate:
    a phrase as one of its tokens (the middle one, usually the rarest), since the planner
    takes a phrase's bigrams as independent and so finds a 医养结合 in a fifth of the
    documents that hold one."""
    return _ts_groups(query, "estimate")
