"""Deterministic generators of gold JSONL for the benchmarks.

    python bench/gen_corpus.py                 # bench/out/corpus_10000_20240601_v1.jsonl
    python bench/gen_corpus.py --docs 500      # bench/out/corpus_500_20240601_v1.jsonl
    python bench/gen_corpus.py --big           # bench/out/big_doc_7_v1.jsonl (1 MB, 50,000 spans)

The benchmarks call corpus_path() / big_path(), which generate these files once and reuse them.

Corpus documents are about 2,000 characters of multilingual news-like text (French with
NBSP and guillemets, Vietnamese in NFC and some in NFD, Bengali with conjuncts, Serbian
Latin with a stray Cyrillic letter, English; a few emoji, some with ZWJ; some CRLF
paragraph breaks), 20 spans each (PERSON, ORG, FIGURE, DATE) on grapheme boundaries,
annotator "bench", status "in_progress".

Records are written independently of annotator's own serialiser, but in exactly the byte
format the export produces (keys in the export order, spans sorted as the export sorts
them, orjson formatting), so an import followed by an export must give back the input
file byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from pathlib import Path

import orjson

OUT = Path(__file__).resolve().parent / "out"
# Part of the cached files' names: bump it when the output changes, so no stale file is reused.
VERSION = 1
NBSP = "\u00a0"
NNBSP = "\u202f"
SCHEMA_VERSION = 1
ANNOTATOR = "bench"
LABELS = ("PERSON", "ORG", "FIGURE", "DATE")

# Filler text per language (split on spaces into words) and entity pools per label.
FILLER = {
    "fr": (f"Le secrétaire général adjoint a rencontré la représentante spéciale à Bruxelles{NBSP}: "
           f"«{NBSP}Nous restons pleinement engagés en faveur de la stabilité régionale{NBSP}», a-t-il déclaré. "
           "Les deux responsables ont évoqué la coopération pratique, le dialogue politique et les réformes "
           f"en cours{NBSP}; ils se reverront à l’automne. Selon le communiqué, la mission compte "
           f"désormais davantage de soldats sur le terrain{NBSP}!"),
    "vi": ("Phó Tổng thư ký đã gặp Đại diện đặc biệt của Liên minh châu Âu tại Brussels để thảo luận "
           "về tình hình an ninh khu vực. Hai bên nhấn mạnh tầm quan trọng của đối thoại chính trị "
           "và hợp tác thực tiễn, đồng thời hoan nghênh những tiến bộ gần đây trong tiến trình cải cách. "
           "Theo thông cáo, phái bộ hiện có thêm nhiều binh sĩ được triển khai trên thực địa."),
    "bn": ("উপ-মহাসচিব ব্রাসেলসে ইউরোপীয় ইউনিয়নের বিশেষ প্রতিনিধির সঙ্গে বৈঠক করেছেন এবং আঞ্চলিক "
           "নিরাপত্তা পরিস্থিতি নিয়ে আলোচনা করেছেন। রাস্তার পাশে দাঁড়িয়ে থাকা সাংবাদিকরা জানান, "
           "উভয় পক্ষ রাজনৈতিক সংলাপ ও ব্যবহারিক সহযোগিতার গুরুত্বের ওপর জোর দিয়েছে। ক্ষমতা "
           "হস্তান্তরের প্রক্রিয়া নিয়েও কথা হয়েছে বলে বিবৃতিতে উল্লেখ করা হয়।"),
    "sr": ("NATO je sa BiH nastavio snažan politički dijalog i praktičnu saradnju, dok sa Srbijom održava "
           "politički dijalog na visokom nivou u cilju rješavanja pitanja od ključnog značaja za regionalnu "
           "bezbjednost. Predstavnici \u0415U su pozdravili napredak u reformama, a zamjenik generalnog "
           "sekretara je podsjetio na značaj misije na terenu."),
    "en": ("The Deputy Secretary General met the European Union Special Representative in Brussels to "
           "discuss the regional security situation. Both sides stressed the importance of political "
           "dialogue and practical cooperation, and welcomed recent progress on reforms. According to "
           "the statement, the mission now has more troops deployed on the ground."),
}
ENTITIES = {
    "fr": {"PERSON": ["Mircea Geoană", "Miroslav Lajčák", "Jens Stoltenberg", "Ursula von der Leyen"],
           "ORG": ["l’OTAN", "l’Union européenne", "la KFOR", "le Conseil de l’Atlantique Nord"],
           "FIGURE": [f"4{NNBSP}000 soldats", f"3{NBSP}500", "deux millions d’euros", f"12{NBSP}%"],
           "DATE": ["14 juin 2023", "le 13 juin", "l’automne 2023", "9 janvier 2023"]},
    "vi": {"PERSON": ["Mircea Geoană", "Miroslav Lajčák", "Nguyễn Thị Hương", "Trần Quốc Việt"],
           "ORG": ["NATO", "Liên minh châu Âu", "Bộ Ngoại giao", "Hội đồng Bắc Đại Tây Dương"],
           "FIGURE": ["4.000 binh sĩ", "hai triệu euro", "3.500", "12%"],
           "DATE": ["ngày 14 tháng 6 năm 2023", "tháng Sáu", "năm 2023", "ngày 9 tháng 1"]},
    "bn": {"PERSON": ["মিরচা জিওয়ানা", "শেখ হাসিনা", "মিরোস্লাভ লাইচাক", "জেন্স স্টলটেনবার্গ"],
           "ORG": ["ন্যাটো", "ইউরোপীয় ইউনিয়ন", "পররাষ্ট্র মন্ত্রণালয়", "জাতিসংঘ"],
           "FIGURE": ["৪,০০০ সেনা", "৩,৫০০", "দুই মিলিয়ন ইউরো", "১২ শতাংশ"],
           "DATE": ["৯ জানুয়ারি ২০২৩", "১৪ জুন", "২০২৩ সালে", "জানুয়ারি মাসে"]},
    "sr": {"PERSON": ["Jens Stoltenberg", "Miroslav Lajčák", "Đorđe Petrović", "Ana Lukić"],
           "ORG": ["NATO", "\u0415U", "Vlada Srbije", "Vojna kancelarija za vezu"],
           "FIGURE": ["4.000 vojnika", "3.500", "dva miliona evra", "12 odsto"],
           "DATE": ["13. juna 2023.", "u novembru", "2023. godinu", "9. januara"]},
    "en": {"PERSON": ["Mircea Geoana", "Miroslav Lajcak", "Jens Stoltenberg", "Ursula von der Leyen"],
           "ORG": ["NATO", "the European Union", "KFOR", "the North Atlantic Council"],
           "FIGURE": ["4,000 troops", "3,500", "two million euros", "12 percent"],
           "DATE": ["13 June 2023", "June 14", "autumn 2023", "9 January 2023"]},
}
EMOJI = ["👍🏽", "👩\u200d💻", "🇫🇷", "🎉", "👨\u200d👩\u200d👧"]
LANGS = ("fr", "vi", "bn", "sr", "en")
WORDS = {lang: text.split(" ") for lang, text in FILLER.items()}


class _Text:
    def __init__(self, rng: random.Random, nfd: bool, newline: str) -> None:
        self.rng, self.nfd, self.newline = rng, nfd, newline
        self.parts: list[str] = []
        self.length = 0
        self.cursor: dict[str, int] = {}

    def add(self, s: str) -> tuple[int, int]:
        if self.nfd:
            s = unicodedata.normalize("NFD", s)
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        return start, self.length

    def filler(self, lang: str) -> None:
        """One filler word (walking the language's text in order), with its separator."""
        words = WORDS[lang]
        i = self.cursor.get(lang, self.rng.randrange(len(words)))
        self.cursor[lang] = (i + 1) % len(words)
        r = self.rng.random()
        if r < 0.004:
            self.add(self.rng.choice(EMOJI) + " ")
        elif r < 0.01:
            self.add(self.newline)
        self.add(words[i] + " ")


def _span_id(rng: random.Random, seen: set[str]) -> str:
    while True:
        sid = f"s{rng.getrandbits(64):016x}"
        if sid not in seen:
            seen.add(sid)
            return sid


def make_document(rng: random.Random, doc_id: str, langs: tuple[str, ...], n_spans: int, n_chars: int,
                  seen_ids: set[str], nfd: bool = False, newline: str = "\n", title: str | None = None) -> dict:
    """A record in export format: `n_spans` entities spread evenly over about `n_chars` characters."""
    t = _Text(rng, nfd, newline)
    t.add(f"{doc_id}. ")  # makes every text (and so its checksum) unique
    spans = []
    for k in range(n_spans):
        goal = (k + 1) * n_chars // (n_spans + 1)
        lang = rng.choice(langs)
        while t.length < goal:
            t.filler(lang)
        label = rng.choice(LABELS)
        start, end = t.add(rng.choice(ENTITIES[lang][label]))
        t.add(rng.choice((" ", ", ", " ", "; ", " — ")))
        spans.append((start, end, label))
    while t.length < n_chars:
        t.filler(langs[0])
    text = "".join(t.parts).rstrip(" ") + "."
    out_spans = []
    for start, end, label in spans:
        out_spans.append({"id": _span_id(rng, seen_ids), "start": start, "end": end, "label": label,
                          "text": text[start:end], "value": None, "note": None})
    # The export's order: start, end, label, id.
    out_spans.sort(key=lambda s: (s["start"], s["end"], s["label"], s["id"]))
    return {"id": doc_id, "lang": langs[0], "text": text, "spans": out_spans, "events": [], "claims": [],
            "group": None, "alignments": [], "links": [], "annotator": ANNOTATOR, "status": "in_progress",
            "title": title, "source": None, "schema_version": SCHEMA_VERSION}


def corpus(n_docs: int = 10_000, seed: int = 20240601) -> list[dict]:
    rng = random.Random(seed)
    seen: set[str] = set()
    docs = []
    for i in range(n_docs):
        lang = LANGS[i % len(LANGS)]
        nfd = lang == "vi" and rng.random() < 0.25
        newline = "\r\n" if rng.random() < 0.1 else "\n"
        title = f"Bench document {i:05d}" if i % 3 == 0 else None
        docs.append(make_document(rng, f"bench-{i:05d}", (lang,), 20, 2000, seen, nfd=nfd, newline=newline,
                                  title=title))
    return docs


def big_document(seed: int = 7, n_spans: int = 50_000, n_chars: int = 1_000_000) -> dict:
    """One ~1 MB document mixing all languages, `n_spans` spans."""
    rng = random.Random(seed)
    return make_document(rng, "bench-big", ("en",) + LANGS, n_spans, n_chars, set(), title="Bench big document")


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        for rec in records:
            fh.write(orjson.dumps(rec) + b"\n")
    return path


def corpus_path(n_docs: int = 10_000, seed: int = 20240601) -> Path:
    """The corpus file, generated if missing."""
    path = OUT / f"corpus_{n_docs}_{seed}_v{VERSION}.jsonl"
    if not path.is_file():
        write_jsonl(corpus(n_docs, seed), path)
    return path


def big_path(seed: int = 7) -> Path:
    path = OUT / f"big_doc_{seed}_v{VERSION}.jsonl"
    if not path.is_file():
        write_jsonl([big_document(seed)], path)
    return path


N_RELATIONS = 10_000  # issue 14's benchmark: the big document with an attribute on every span and these relations


def depth_schema() -> str:
    """The default schema, with a span attribute on every label and a relation any pair of
    labels takes: what the big document's depth version needs."""
    data = json.loads((Path(__file__).resolve().parent.parent / "resources" / "schema.json").read_text(encoding="utf-8"))
    data["attributes"].append({"name": "confidence", "kind": "enum", "values": ["high", "low"],
                               "applies_to": {"labels": True}, "guidance": "How sure the annotator is"})
    labels = [lab["name"] for lab in data["labels"]]
    data["relations"].append({"type": "near", "directed": False, "pairs": [[a, b] for a in labels for b in labels],
                              "guidance": "Bench relation between any two spans"})
    return json.dumps(data)


def with_depth(rec: dict) -> dict:
    """The record with an attribute on every span and N_RELATIONS relations between spans
    next to each other, its keys in the order the export writes them."""
    spans = [dict(s, attributes={"confidence": "high" if i % 3 else "low"}) for i, s in enumerate(rec["spans"])]
    relations = [{"id": f"r{i}", "type": "near", "from": spans[2 * i]["id"], "to": spans[2 * i + 1]["id"]}
                 for i in range(N_RELATIONS)]
    keys = list(rec)
    at = keys.index("annotator")
    return ({k: rec[k] for k in keys[:at] if k != "relations"} | {"spans": spans, "relations": relations}
            | {k: rec[k] for k in keys[at:]})


def big_depth_path(seed: int = 7) -> Path:
    """The big document with attributes on every span and 10,000 relations (depth_schema)."""
    path = OUT / f"big_doc_{seed}_v{VERSION}_depth.jsonl"
    if not path.is_file():
        rec = orjson.loads(big_path(seed).read_bytes().splitlines()[0])
        write_jsonl([with_depth(rec)], path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--big", action="store_true", help="the 1 MB, 50,000-span document instead")
    parser.add_argument("--depth", action="store_true", help="with --big: an attribute on every span and "
                                                             f"{N_RELATIONS:,} relations (schema: depth_schema)")
    args = parser.parse_args(argv)
    if args.big and args.depth:
        path = big_depth_path()
    elif args.big:
        path = write_jsonl([big_document()], OUT / f"big_doc_7_v{VERSION}.jsonl")
    else:
        path = write_jsonl(corpus(args.docs, args.seed), OUT / f"corpus_{args.docs}_{args.seed}_v{VERSION}.jsonl")
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
