"""spaCy's binary training format, a DocBin (`.spacy`: https://spacy.io/api/docbin), read
and written with spaCy itself, the optional extra `annotator[spacy]`. spaCy is imported
only when a DocBin is read or written, so the app, `annotator formats` and detection by
content work without it; reading or writing without it is one line naming the extra.

Writing: each record is tokenised by a blank pipeline of its language (`spacy.blank(lang)`,
or the multi-language "xx" where spaCy has none or it needs another package), so a
trained pipeline reads the file with no glue (`spacy train`'s corpus reader takes it as
is). A layer whose spans are flat goes into `doc.ents` (what the `ner` component trains
on) and into `doc.spans[key]`; one with nested or overlapping spans into `doc.spans[key]`
only (what `spancat` trains on), counted. A span whose edges are not token edges of the
blank pipeline is not dropped: the token is split at the edge (so the file holds every
span and reads back exact), and the spans and documents are reported, since a pipeline
that tokenises the text itself cannot learn those edges. A span's normalised value goes
into its `kb_id`, the record's id, title, source, language, layer and status into the
doc's user data. What a DocBin has no place for (events, claims, notes, alignments,
links) is counted.

Reading: one layer per file (named by --annotator, else the layer the file was written
from, else the file's stem): the spans of `doc.ents` and of every span group, once each;
what the app does not keep (categories, tags, lemmas, parses, spans without a label) is
counted.
"""

from __future__ import annotations

import importlib.util
import zlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.ids import new_id
from annotator.core.records import DocumentRecord, SpanRecord
from annotator.formats import carried_schema
from annotator.formats.base import Format, ReadResult, WriteResult

NAME = "spacy"
EXTENSIONS = (".spacy",)
SPANS_KEY = "sc"  # spaCy's default key for span groups (spancat's spans_key)
USER_KEY = "annotator"  # the record's fields in doc.user_data
EXTRA = "pip install annotator[spacy]"


def missing() -> str | None:
    """What the format needs that is not installed, or None."""
    return None if importlib.util.find_spec("spacy") is not None else f"spaCy is not installed ({EXTRA})"


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise AnnotatorError(f"the spacy format needs spaCy, which is not installed: {EXTRA}") from None
    return spacy


def sniff(path: Path, head: bytes) -> bool:
    """A .spacy file, or a DocBin by any name: zlib-compressed msgpack whose map starts
    with its version and attrs."""
    if path.suffix.lower() in EXTENSIONS:
        return True
    if head[:1] != b"\x78":
        return False
    try:
        start = zlib.decompressobj().decompress(head, 64)
    except zlib.error:
        return False
    return b"\xa7version" in start[:16] and b"\xa5attrs" in start


# ---------------------------------------------------------------- writing

_PIPELINES: dict[str, Any] = {}  # blank pipelines by language, made once per process (each takes a while)


def _blank(spacy: Any, lang: str, pipelines: dict[str, Any], fallbacks: Counter[str]) -> Any:
    """The blank pipeline of `lang`, made once; the multi-language one (counted) where spaCy
    has none for it or its tokeniser needs a package that is not installed (pyvi, ...)."""
    if lang not in pipelines:
        try:
            pipelines[lang] = spacy.blank(lang or "xx")
        except Exception:  # ImportError, or spaCy's own error for an unknown language
            pipelines[lang] = pipelines.get("xx") or spacy.blank("xx")
    if pipelines[lang].lang == "xx" and lang not in ("", "xx"):
        fallbacks[lang] += 1
    return pipelines[lang]


def _split_at(doc_class: Any, doc: Any, cuts: set[int]) -> tuple[Any, int]:
    """`doc` with its tokens split at the offsets `cuts` that fall inside a token or between
    a token and its trailing space (which then becomes a token of its own), and how many
    tokens were split. The text stays the same."""
    words: list[str] = []
    spaces: list[bool] = []
    split = 0
    for tok in doc:
        full = tok.text_with_ws
        inside = sorted({c - tok.idx for c in cuts if tok.idx < c < tok.idx + len(full)}
                        # a span that ends with the space: the space becomes a token of its own
                        | ({len(tok.text)} if tok.whitespace_ and tok.idx + len(full) in cuts else set()))
        split += bool(inside)
        edges = [0, *inside, len(full)]
        for a, b in zip(edges, edges[1:]):
            words.append(full[a:b])
            spaces.append(False)
        if tok.whitespace_ and len(tok.text) not in inside:  # the space stays the token's trailing space
            words[-1] = words[-1][: -len(tok.whitespace_)]
            spaces[-1] = True
    if not split:
        return doc, 0
    return doc_class(doc.vocab, words=words, spaces=spaces), split


def _flat(spans: list[SpanRecord]) -> bool:
    end = -1
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if s.start < end:
            return False
        end = s.end
    return True


def write(records: Iterable[DocumentRecord], out: BinaryIO, schema: str | None = None,
          spans_key: str = SPANS_KEY) -> WriteResult:
    spacy = _spacy()
    from spacy.tokens import Doc, DocBin

    pipelines = _PIPELINES
    fallbacks: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    off_edge: list[tuple[str, int]] = []  # (document, spans whose tokens were split)
    nested_docs: list[str] = []
    db = DocBin(store_user_data=True)
    n = 0
    for rec in records:
        nlp = _blank(spacy, rec.lang, pipelines, fallbacks)
        doc = nlp.make_doc(rec.text)
        starts = {t.idx for t in doc}
        ends = {t.idx + len(t.text) for t in doc}
        bad = [s for s in rec.spans if s.start not in starts or s.end not in ends]
        if bad:
            doc, _split = _split_at(Doc, doc, {s.start for s in bad} | {s.end for s in bad})
            off_edge.append((rec.id, len(bad)))
        spans = []
        for s in rec.spans:
            span = doc.char_span(s.start, s.end, label=s.label, kb_id=s.value or "", alignment_mode="strict")
            if span is None:  # only a span of no token (empty, or of spaces): spaCy has no such span
                lost["empty"] += 1
                continue
            spans.append(span)
        if _flat(list(rec.spans)):
            doc.ents = sorted(spans, key=lambda sp: sp.start)
        elif rec.spans:
            nested_docs.append(rec.id)
        doc.spans[spans_key] = spans
        doc.user_data[USER_KEY] = {"id": rec.id, "lang": rec.lang, "title": rec.title, "source": rec.source,
                                   "annotator": rec.annotator, "status": rec.status, "group": rec.group}
        if schema is not None:
            doc.user_data[USER_KEY]["schema"] = schema
        lost["events"] += len(rec.events)
        lost["claims"] += len(rec.claims)
        lost["notes"] += sum(s.note is not None for s in rec.spans)
        lost["alignments"] += len(rec.alignments)
        lost["links"] += len(rec.links)
        db.add(doc)
        n += 1
    out.write(db.to_bytes())
    words = {"empty": "span(s) of no token (only spaces)", "events": "event(s)", "claims": "claim(s)",
             "notes": "note(s) on spans", "alignments": "alignment(s)", "links": "link(s) between spans"}
    result = WriteResult(n, [f"{lost[k]} {w}" for k, w in words.items() if lost[k]])
    if off_edge:
        total = sum(k for _d, k in off_edge)
        result.notes.append(f"{total} span(s) in {len(off_edge)} document(s) do not fall on the token edges of "
                            f"spaCy's blank pipeline ({_some(d for d, _k in off_edge)}): their tokens were split "
                            "there, so the file keeps them; a pipeline that tokenises the text itself cannot "
                            "learn those edges")
    if nested_docs:
        result.notes.append(f"{len(nested_docs)} document(s) with nested or overlapping spans "
                            f"({_some(nested_docs)}): their spans are in doc.spans[{spans_key!r}] only "
                            "(spancat trains on them, ner on doc.ents)")
    if fallbacks:
        result.notes.append("tokenised with spaCy's multi-language pipeline (xx), as spaCy has no blank pipeline "
                            "it can load here for: " + ", ".join(f"{lang} ({k} document(s))"
                                                                  for lang, k in sorted(fallbacks.items())))
    return result


def _some(ids: Iterable[str], shown: int = 5) -> str:
    ids = list(ids)
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


# ---------------------------------------------------------------- reading

def read(path: Path, data: bytes, *, annotator: str | None = None) -> ReadResult:
    spacy = _spacy()
    from spacy.tokens import DocBin

    where = str(path)
    try:
        db = DocBin(store_user_data=True).from_bytes(data)
        docs = list(db.get_docs(spacy.blank("xx").vocab))
    except Exception as exc:  # zlib, msgpack or spaCy's own errors: the file is no DocBin spaCy reads
        raise InputError(where, None, f"not a spaCy DocBin spaCy can read ({type(exc).__name__}: {exc})") from None
    lost: Counter[str] = Counter()
    result = ReadResult(records=[])
    layers: set[str] = set()
    keys: set[str] = set()
    refs: set[object] = set()  # the schema files the docs name (written with the export)
    for n, doc in enumerate(docs, 1):
        own = doc.user_data.get(USER_KEY) if isinstance(doc.user_data, dict) else None
        own = own if isinstance(own, dict) else {}
        spans: dict[tuple[int, int, str], SpanRecord] = {}
        groups = [("ents", doc.ents)] + [(k, g) for k, g in doc.spans.items()]
        for key, group in groups:
            if len(group) and key != "ents":
                keys.add(key)
            for sp in group:
                if not sp.label_:
                    lost["unlabelled"] += 1
                    continue
                at = (sp.start_char, sp.end_char, sp.label_)
                if at not in spans:
                    spans[at] = SpanRecord(new_id("s"), sp.start_char, sp.end_char, sp.label_, sp.text,
                                           sp.kb_id_ or None)
        lost["cats"] += bool(doc.cats)
        lost.update({kind for attr, kind in (("TAG", "tags"), ("POS", "tags"), ("LEMMA", "lemmas"),
                                             ("DEP", "parses")) if doc.has_annotation(attr)})
        refs.add(own.get("schema"))
        if annotator or not ("annotator" in own and own["annotator"] is None and not spans):
            layer: str | None = annotator or _text(own, "annotator") or path.stem
            layers.add(str(layer))
        else:
            layer = None  # written from a document nobody annotated: no layer, as it was
        text = doc.text
        first = text.strip().split("\n", 1)[0].strip()
        # A doc this app wrote keeps its record's fields as they were (None included).
        title = _text(own, "title") if own else (first if len(first) <= 80 else first[:77].rstrip() + "…")
        status = _text(own, "status")
        rec = DocumentRecord(id=_text(own, "id") or f"{path.stem}-{n}", lang=_text(own, "lang") or "", text=text,
                             title=title, source=_text(own, "source") if own else path.name,
                             spans=tuple(sorted(spans.values(), key=lambda s: (s.start, s.end, s.label))),
                             annotator=layer, status=status if status in ("todo", "in_progress", "done") else "done",
                             group=_text(own, "group"))
        result.records.append((f"{where}: document {n}", rec))
    words = {"unlabelled": "span(s) without a label", "cats": "document(s) with categories (doc.cats)",
             "tags": "document(s) with part-of-speech tags", "lemmas": "document(s) with lemmas",
             "parses": "document(s) with dependency parses"}
    result.left_out = [f"{lost[k]} {w}" for k, w in words.items() if lost[k]]
    named = sorted(r for r in refs if isinstance(r, str))
    if len(named) > 1:
        raise InputError(where, None, f"the documents name different schema files ({', '.join(named)}); the "
                                      "documents of one file carry one schema")
    if named:
        result.schema = carried_schema.load(path, named[0], "document 1")
    result.notes.append(f"{where}: spaCy DocBin, {len(docs)} document(s); spans of doc.ents"
                        + (f" and doc.spans {', '.join(repr(k) for k in sorted(keys))}" if keys else "")
                        + f"; layer(s) {', '.join(sorted(layers)) or path.stem}")
    return result


def _text(own: dict, key: str) -> str | None:
    value = own.get(key)
    return value if isinstance(value, str) and value else None


FORMAT = Format(NAME, "spaCy DocBin (.spacy): doc.ents, doc.spans['sc'] for nested spans; optional extra "
                      "annotator[spacy]", EXTENSIONS, sniff, read, write, schema_beside=True, missing=missing)
