"""Build the gold annotation of the five seed documents: seeds/gold/seeds.gold.jsonl.

The annotation decisions are written below in readable form, per document:

- spans: (key, surface string, occurrence, label[, value][, note]). The span is the
  `occurrence`-th (0-based) *whole-word* occurrence of `surface` in the seed text (a
  match whose neighbours are not word characters: `NATO` inside `NATO-led` counts,
  `NATO` inside `NATOs` would not). A surface that is not found, or an occurrence that
  does not exist, stops the build. The span id is `g<doc number>-<key>`.
- events: (trigger surface, occurrence, type, [(role, span key), ...]).
- claims: (start surface, occurrence, end surface, [(role, span key), ...]); the claim
  runs from the start of the start surface to the end of the first occurrence of the
  end surface after it.
- sentences (group documents only): the opening words of every sentence, each of which
  must occur exactly once; a sentence runs to the last non-space character before the
  next one. Alignment blocks are pairs of lists of sentence numbers.
- links: (span key in the lower document id, span key in the higher document id).

The resolved records are then run through the app itself: a temporary project with the
seeds (`annotator init`), `annotator import` of the records, `annotator export
--annotator gold`, `annotator validate --schema resources/schema.json`, and a second
import/export round trip that must give the same bytes. So the output file is exactly
what the app stores and writes. Run from the checkout:

    .venv/bin/python scripts/build_seed_gold.py            # writes seeds/gold/seeds.gold.jsonl
    .venv/bin/python scripts/build_seed_gold.py --check    # builds in a temp dir, compares
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.records import (
    AlignmentRecord,
    ArgumentRecord,
    Block,
    ClaimRecord,
    DocumentRecord,
    EntityRecord,
    EventRecord,
    LinkRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.values import value_problem
from annotator.formats import gold_jsonl

SEEDS = ROOT / "seeds"
OUT = SEEDS / "gold" / "seeds.gold.jsonl"
ANNOTATOR = "gold"

VI, FR, EN = "001_4b158e7d9e1f12f6", "002_348658bd2cc7c365", "004_8ff92d06c738168c"
BN, SR = "000_00eeb79877075e28", "003_9d79371e2d62a488"


# ---------------------------------------------------------------------------------------
# Span helpers: P(erson), O(rg), F(igure), D(ate). occ is the 0-based whole-word occurrence.
def P(key, surface, occ=0, note=None):
    return (key, surface, occ, "PERSON", None, note)


def O(key, surface, occ=0, note=None):
    return (key, surface, occ, "ORG", None, note)


def F(key, surface, occ, value, note=None):
    return (key, surface, occ, "FIGURE", value, note)


def D(key, surface, occ, value, note=None):
    return (key, surface, occ, "DATE", value, note)


APPROX = "approximate: the text says about/around"
MORE_THAN = "lower bound: the text says more than"

SPANS: dict[str, list[tuple]] = {}
EVENTS: dict[str, list[tuple]] = {}
CLAIMS: dict[str, list[tuple]] = {}
SENTENCES: dict[str, list[str]] = {}

# ---------------------------------------------------------------------------------------
# 000 (bn): NATO Deputy SG Geoană welcomes US DAS Escobar and EU SR Lajčák, 9 January 2023.
# Bengali case endings are written fused to the word (-র genitive, -কে accusative,
# -তে locative): the span is the whole word, ending included (never inside a cluster).
SPANS[BN] = [
    # line 1: a scraped copy of a sentence of the last paragraph but one
    O("nato0", "ন্যাটো", 0),             # in ন্যাটো-নেতৃত্বাধীন "NATO-led": the name only
    O("kfor0", "কেএফওআর", 0),
    O("eu0", "ইইউ", 0),                  # in ইইউ-নেতৃত্বাধীন "EU-led"
    O("eulex_name0", "রুল অফ ল মিশন", 0),  # "Rule of Law Mission" = EULEX
    O("eulex0", "ইউলেক্স", 0),
    # headline and dateline
    O("nato1", "ন্যাটো", 1),
    O("eu1", "ইইউ", 1),
    D("d_head", "০৯ জানুয়ারী ২০২৩", 0, "2023-01-09"),
    D("d_update", "০৯ জানুয়ারী ২০২৩", 1, "2023-01-09", note="dateline: last update"),
    # the meeting
    P("geoana1", "মিরসিয়া জিওনা", 0),
    D("monday", "সোমবার", 0, "2023-01-09"),
    D("d9", "৯ জানুয়ারী ২০২৩", 0, "2023-01-09"),
    O("nato2", "ন্যাটো", 2),             # ন্যাটো সদর দফতরে "at NATO headquarters" (a place): NATO only
    P("escobar1", "গ্যাব্রিয়েল এসকোবার", 0),
    O("eu2", "ইইউ", 2),
    P("lajcak1", "মিরোস্লাভ লাজ্যাককে", 0),  # accusative -কে kept (whole word)
    # photo caption
    O("eu_full1", "ইউরোপীয় ইউনিয়নের", 0),
    P("lajcak2", "মিরোস্লাভ লাজকাকের", 0),
    O("nato3", "ন্যাটোর", 0),
    P("geoana2", "মিরসিয়া জিওনা", 1),
    O("bureau", "ইউরোপীয় ও ইউরেশীয় বিষয়ক ব্যুরো", 0),  # Bureau of European and Eurasian Affairs
    P("escobar2", "গ্যাব্রিয়েল এসকোবার", 1),
    # Geoană's statement
    P("geoana3", "জিওআনা", 0),
    O("nato4", "ন্যাটো", 3),             # ন্যাটো মিত্র "NATO Allies"
    O("eu_full2", "ইউরোপীয় ইউনিয়নের", 1),
    O("nato5", "ন্যাটো", 4),
    O("kfor1", "কেএফওআর", 1),
    O("eu3", "ইইউ", 3),
    O("eulex_name1", "রুল অফ ল মিশন", 1),
    O("eulex1", "ইউলেক্স", 1),
    # KFOR paragraph
    O("kfor2", "KFOR", 0),
    O("un", "জাতিসংঘের", 0),
    O("nato6", "NATO", 0),
    O("eu4", "EU", 0),                    # in EU-সুবিধাপূর্ণ "EU-facilitated"
    # the briefing
    P("escobar3", "এসকোবার", 2),
    P("lajcak3", "লাজ্যাক", 0),
    O("nato7", "ন্যাটো", 5),             # ন্যাটো রাষ্ট্রদূতদেরকে "NATO ambassadors"
]

# ---------------------------------------------------------------------------------------
# 001 (vi). Keys are shared with 002 and 004 where the mention is the same (nato = NATO/OTAN).
SPANS[VI] = [
    # photo caption
    O("nato_cap", "Nato", 0),
    P("geoana_cap", "Mircea Geoana", 0),
    O("eu_cap", "EU", 0),
    P("lajcak_cap", "Miroslav Lajcak", 0),
    D("d14_cap", "14/6", 0, "2023-06-14"),
    O("nato_src", "NATO", 0),             # (Nguồn: NATO) photo credit
    # the meeting
    D("d14", "14/6", 1, "2023-06-14"),
    O("nato_full", "Tổ chức Hiệp ước Bắc Đại Tây Dương", 0),
    O("nato1", "NATO", 1),
    P("geoana1", "Mircea Geoana", 1),
    P("lajcak1", "Miroslav Lajcak", 1),
    O("eu_full", "Liên minh châu Âu", 0),
    O("eu1", "EU", 1),
    O("eu2", "EU", 2),                    # quan chức EU này "this EU official"
    P("lajcak2", "Lajcak", 2),
    O("nato2", "NATO", 2),
    O("eu3", "EU", 3),
    D("d13", "13/6", 0, "2023-06-13"),
    # KFOR background
    O("nato3", "NATO", 3),
    O("kfor_full", "Phái bộ gìn giữ hòa bình ở Kosovo", 0),
    O("kfor1", "KFOR", 0),
    O("kfor2", "KFOR", 1),
    F("fig4200", "4.200", 0, "4200"),
    F("fig27", "27", 0, "27"),
    O("nato4", "NATO", 4),                # quốc gia thành viên NATO "NATO member states"
    # statements
    P("geoana2", "Geoana", 2),
    O("nato5", "NATO", 5),
    O("eu4", "EU", 4),
    P("geoana3", "Geoana", 3),
    O("nato6", "NATO", 6),                # lãnh đạo NATO "NATO leadership"
    O("kfor3", "KFOR", 2),
    O("nato7", "NATO", 7),
    O("eu5", "EU", 5),
    O("osce_full", "Tổ chức An ninh và hợp tác châu Âu", 0),
    O("osce", "OSCE", 0),
    O("eu6", "EU", 6),
    P("geoana4", "Geoana", 4),
    O("nato8", "NATO", 8),
    O("kfor4", "KFOR", 3),
    F("fig4000", "4.000", 0, "4000", note=MORE_THAN),
    # reinforcements
    O("nato9", "NATO", 9),
    O("eu7", "EU", 7),
    O("kfor5", "KFOR", 4),
    D("d2026", "2026", 0, "2026", note="until at least 2026"),
    F("fig500", "500", 0, "500"),
    O("kfor6", "KFOR", 5),
    # mandate
    O("kfor7", "KFOR", 6),
    O("nato10", "NATO", 10),
    O("un1", "Liên hợp quốc", 0),
    D("d1999", "1999", 0, "1999"),
    O("unsc", "Hội đồng Bảo an Liên hợp quốc", 0),
    O("un2", "Liên hợp quốc", 1),         # nested in the Security Council's name
]

# ---------------------------------------------------------------------------------------
# 002 (fr). Elided articles (l', l’) and de are not part of a name: "OTAN", not "l'OTAN".
SPANS[FR] = [
    O("nato0", "OTAN", 0),                # lead sentence, no counterpart in 001/004
    # photo caption
    O("nato_cap", "OTAN", 1),
    P("geoana_cap", "Mircea Geoana", 0),
    O("eu_cap", "UE", 0),
    P("lajcak_cap", "Miroslav Lajcak", 0),
    D("d14_cap", "14 juin", 0, "2023-06-14"),
    O("nato_src", "OTAN", 2),             # (Source : OTAN) photo credit
    # the meeting
    D("d14", "14 juin", 1, "2023-06-14"),
    O("nato_full", "Organisation du traité de l'Atlantique Nord", 0),
    O("nato1", "OTAN", 3),
    P("geoana1", "Mircea Geoana", 1),
    P("lajcak1", "Miroslav Lajcak", 1),
    O("eu_full", "Union européenne", 0),
    O("eu1", "UE", 1),
    O("eu2", "UE", 2),                    # du responsable de l'UE
    P("lajcak2", "Lajcak", 2),
    O("nato2", "OTAN", 4),
    O("eu3", "UE", 3),
    D("d13", "13 juin", 0, "2023-06-13"),
    # KFOR background
    O("nato3", "OTAN", 5),
    O("kfor_full", "Mission de maintien de la paix au Kosovo", 0),  # capitalised name; the lower-case
    O("kfor1", "KFOR", 0),                # description in the lead sentence is not a name
    O("kfor2", "KFOR", 1),
    F("fig4200", "4 200", 0, "4200"),
    F("fig27", "27", 0, "27"),
    O("nato4", "OTAN", 6),
    # statements
    P("geoana2", "Geoana", 2),
    O("nato5", "OTAN", 7),
    O("eu4", "UE", 4),
    P("geoana3", "Geoana", 3),
    O("nato6", "OTAN", 8),
    O("kfor3", "KFOR", 2),
    O("nato7", "OTAN", 9),
    O("eu5", "UE", 5),
    O("osce_full", "Organisation pour la sécurité et la coopération en Europe", 0),
    O("osce", "OSCE", 0),
    O("eu6", "UE", 6),
    P("geoana4", "Geoana", 4),
    O("nato8", "OTAN", 10),
    O("kfor4", "KFOR", 3),
    F("fig4000", "4 000", 0, "4000", note=MORE_THAN),
    # reinforcements
    O("nato9", "OTAN", 11),               # le dialogue OTAN-UE
    O("eu7", "UE", 7),
    O("kfor5", "KFOR", 4),
    D("d2026", "2026", 0, "2026", note="until at least 2026"),
    F("fig500", "500", 0, "500"),
    O("kfor6", "KFOR", 5),
    # mandate
    O("kfor7", "KFOR", 6),
    O("nato10", "OTAN", 12),
    O("un1", "Nations Unies", 0),
    O("unsc", "Conseil de sécurité de l’ONU", 0),
    O("un2", "ONU", 0),                   # nested in the Security Council's name
    D("d1999", "1999", 0, "1999"),
    # page furniture
    F("fig0", "0", 0, "0", note="page furniture: number of comments"),
]

# ---------------------------------------------------------------------------------------
# 003 (sr, Latin with stray Cyrillic Е in ЕU). Inflected forms are spanned whole, the case
# ending included, also after a hyphen (NATO-a, Kfora, Alijansom). The report is NATO's
# annual report for 2023, published in 2024: "last year" (prošloj godini) is 2023, and
# months without a year (novembru, maju, septembru, 31. decembra) are 2023.
SPANS[SR] = [
    O("nato1", "NATO", 0),
    D("d2023", "2023", 0, "2023"),        # za 2023. godinu: the year only (ordinal dot trimmed)
    O("alliance1", "Alijanse", 0),        # the Alliance = NATO (capitalised proper designation)
    P("stoltenberg1", "Jens Stoltenberg", 0),
    O("nato2", "NATO", 1),
    O("mlo", "Vojnom kancelarijom Alijanse za vezu", 0,
      note="NATO Military Liaison Office (Belgrade)"),
    O("alliance2", "Alijanse", 1),        # nested in the office's name
    P("stoltenberg2", "Stoltenberg", 1),
    D("nov", "novembru", 0, "2023-11"),
    O("ksf", "kosovskih bezbjednosnih snaga", 0,
      note="Kosovo Security Force, named descriptively (takozvanih 'so-called')"),
    O("nato3", "NATO-a", 0),
    P("stoltenberg3", "Stoltenberg", 2),
    O("kfor1", "Kfora", 0),
    O("alliance3", "Alijanse", 2),
    O("eu1", "ЕU", 0),                    # Cyrillic Е + Latin U, as published
    O("nato4", "NATO", 3),
    O("eu2", "ЕU", 1),
    P("stoltenberg4", "Stoltenberg", 3),
    O("kfor2", "Kfora", 1),
    O("alliance4", "Alijansom", 0),
    O("unsc", "Savjeta bezbednosti UN", 0),
    O("un1", "UN", 0),                    # nested in the Security Council's name
    D("d1999", "1999", 0, "1999"),
    P("stoltenberg5", "Stoltenbergovom", 0, note="possessive adjective: Stoltenberg's"),
    O("kfor3", "Kfora", 2),
    O("eu3", "ЕU", 2),
    O("un2", "UN", 1),
    P("stoltenberg6", "Stoltenberg", 4),
    O("nato5", "NATO", 4),
    D("lastyear1", "prošloj godini", 0, "2023", note="'last year' in the 2023 report"),
    D("may", "maju", 0, "2023-05"),
    D("sep", "septembru", 0, "2023-09"),
    F("fig1000", "hiljadu", 0, "1000", note=APPROX),
    P("stoltenberg7", "Stoltenberg", 5),
    O("kfor4", "Kforu", 0),
    F("fig27", "27", 0, "27"),
    D("dec31", "31. decembra", 0, "2023-12-31"),
    F("fig4700", "4.700", 0, "4700", note=APPROX),
    P("stoltenberg8", "Stoltenberg", 6),
    O("nato6", "NATO", 5),
    O("nato7", "NATO", 6),
    O("nalt", "savjetodavnog i tima za vezu Alijanse", 0, note="NATO Advisory and Liaison Team (NALT)"),
    O("alliance5", "Alijanse", 3),        # nested in the team's name
    F("fig40", "40", 0, "40", note=APPROX),
    F("fig13", "13", 0, "13"),
    O("rt", "RT Balkan", 0),
    D("lastyear2", "prošloj godini", 1, "2023", note="'last year' in the 2023 report"),
    P("stoltenberg9", "Stoltenberg", 7),
]

# ---------------------------------------------------------------------------------------
# 004 (en)
SPANS[EN] = [
    O("nato_head", "NATO", 0),
    O("eu_head", "EU", 0),
    D("d_head", "June 13, 2023", 0, "2023-06-13"),
    O("nato1", "NATO", 1),                # NATO Deputy Secretary General: the title is not a PERSON
    P("geoana1", "Mircea Geoană", 0),
    D("today", "today", 0, "2023-06-13"),
    D("d13", "13 June 2023", 0, "2023-06-13"),
    P("lajcak1", "Miroslav Lajcak", 0),
    O("eu1", "EU", 1),
    P("lajcak2", "Lajcak", 1),
    O("nac", "North Atlantic Council", 0),
    O("eu2", "EU", 2),
    O("nato2", "NATO", 2),
    O("eu3", "EU", 3),
    P("geoana2", "Geoană", 1),
    O("nato_hq", "NATO Headquarters", 0),
    O("nato3", "NATO", 3),                # nested in NATO Headquarters
    O("kfor1", "KFOR", 0),
    O("eu_full", "European Union", 0),
    O("osce", "OSCE", 0),
    O("eu4", "EU", 4),
    P("geoana3", "Geoana", 0),
    O("nato4", "NATO", 4),
    O("kfor2", "KFOR", 1),
    F("fig4000", "4,000", 0, "4000", note=MORE_THAN),
    O("nato5", "NATO", 5),                # NATO-led
    O("kfor3", "KFOR", 2),
    O("un1", "UN", 0),
    O("unsc", "United Nations Security Council", 0),
    O("un2", "United Nations", 0),        # nested in the Security Council's name
    D("d1999", "1999", 0, "1999"),
    O("nato6", "NATO", 6),
    D("d0605", "June 5, 2023", 0, "2023-06-05"),
    O("kfor4", "KFOR", 3),
    F("fig500", "500", 0, "500", note=APPROX),
    O("brigade", "65th Mechanized Infantry Brigade", 0),
    O("nato7", "NATO", 7),
    O("nato8", "NATO", 8),
    O("nato9", "NATO", 9),
    O("eu5", "EU", 5),                    # EU-facilitated
]

# ---------------------------------------------------------------------------------------
# Events: (trigger, whole-word occurrence, type, [(role, span key), ...]).
# Claims: (first words, occurrence, last words, [(role, span key), ...]); every span inside
# the claim extent is added as a `subject` argument by the build (see subjects_inside).
M, DEP, VIS, ST = "MEETING", "DEPLOYMENT", "VISIT", "STATEMENT"

EVENTS[BN] = [
    ("গুরুত্ব আরোপ করেন", 0, ST, []),   # the scraped copy: its speaker is not in the text
    ("পরামর্শ করছে", 0, M, [("participant", "nato1"), ("participant", "eu1"), ("time", "d_head")]),
    ("স্বাগত জানিয়েছেন", 0, VIS, [("host", "geoana1"), ("host", "nato2"), ("visitor", "escobar1"),
                                  ("visitor", "lajcak1"), ("time", "monday"), ("time", "d9")]),
    ("বৈঠকটি", 0, M, [("participant", "geoana1"), ("participant", "escobar1"), ("participant", "lajcak1"),
                      ("time", "d9")]),     # তাদের বৈঠকটি "their meeting"
    ("তুলে ধরেন", 0, ST, [("speaker", "geoana3")]),
    ("গুরুত্ব আরোপ করেন", 1, ST, [("speaker", "geoana3")]),   # তিনি "he"
    ("সফরের", 0, VIS, [("visitor", "escobar3"), ("visitor", "lajcak3")]),
    ("অবহিত করেছেন", 0, ST, [("speaker", "escobar3"), ("speaker", "lajcak3"), ("addressee", "nato7")]),
]
CLAIMS[BN] = [
    ("সাম্প্রতিক উত্তেজনা", 0, "উত্তর কসোভোতে", [("claimant", "geoana3")]),
    ("ন্যাটো-নেতৃত্বাধীন", 1, "সহায়তা করেছে", [("claimant", "geoana3")]),
]

EVENTS[VI] = [
    ("gặp", 0, M, [("participant", "geoana_cap"), ("participant", "lajcak_cap"), ("time", "d14_cap")]),
    ("cuộc gặp", 0, M, [("participant", "geoana1"), ("participant", "lajcak1"), ("time", "d14")]),
    ("chuyến thăm", 0, VIS, [("visitor", "lajcak1")]),          # quan chức EU này = Lajcak
    ("thông báo", 0, ST, [("speaker", "lajcak2"), ("addressee", "geoana1"), ("time", "d13")]),
    ("cuộc gặp", 1, M, [("participant", "geoana2"), ("time", "d14")]),
    ("khẳng định", 0, ST, [("speaker", "geoana2"), ("time", "d14")]),
    ("nhấn mạnh", 0, ST, [("speaker", "geoana4")]),
    ("Đối thoại", 1, M, [("participant", "nato9"), ("participant", "eu7")]),
    ("triển khai", 0, DEP, [("agent", "kfor6"), ("quantity", "fig500")]),
]
CLAIMS[VI] = [
    ("mối quan hệ hợp tác", 0, "sự khác biệt”", [("claimant", "geoana2"), ("time", "d14")]),
    ("lãnh đạo NATO", 0, "giữa Belgrade và Pristina", [("claimant", "geoana3")]),
    ("NATO đã cam kết", 0, "cho cam kết đó", [("claimant", "geoana4")]),
]

EVENTS[FR] = [
    ("rencontre", 0, M, [("participant", "geoana_cap"), ("participant", "lajcak_cap"), ("time", "d14_cap")]),
    ("rencontré", 0, M, [("participant", "geoana1"), ("participant", "lajcak1"), ("time", "d14")]),
    ("visites", 0, VIS, [("visitor", "lajcak1")]),              # du responsable de l'UE = Lajcak
    ("informé", 0, ST, [("speaker", "lajcak2"), ("addressee", "geoana1"), ("time", "d13")]),
    ("réunion", 0, M, [("participant", "geoana2"), ("time", "d14")]),
    ("affirmé", 0, ST, [("speaker", "geoana2"), ("time", "d14")]),
    ("souligné", 0, ST, [("speaker", "geoana4")]),
    ("dialogue", 2, M, [("participant", "nato9"), ("participant", "eu7")]),   # le dialogue OTAN-UE
    ("déploiement", 0, DEP, [("agent", "kfor6"), ("quantity", "fig500")]),
]
CLAIMS[FR] = [
    ("la coopération à long terme", 0, "faire la différence »", [("claimant", "geoana2"), ("time", "d14")]),
    ("les dirigeants de l'OTAN", 0, "entre Belgrade et Pristina", [("claimant", "geoana3")]),
    ("l'OTAN s'est engagée", 0, "de cet engagement", [("claimant", "geoana4")]),
]

EVENTS[SR] = [
    ("poručio", 0, ST, [("speaker", "stoltenberg1")]),
    ("navodi", 0, ST, [("speaker", "stoltenberg1")]),            # the report (his) states
    ("podsjetio", 0, ST, [("speaker", "stoltenberg2")]),
    ("posjetio", 0, VIS, [("visitor", "stoltenberg2"), ("host", "ksf"), ("time", "nov")]),
    ("sjednicu", 0, M, [("participant", "stoltenberg2")]),
    ("posjeta", 0, VIS, [("visitor", "stoltenberg2"), ("time", "nov")]),   # the same November visit
    ("navodeći", 0, ST, [("speaker", "stoltenberg3")]),
    ("poručio", 1, ST, [("speaker", "stoltenberg4")]),
    ("ističe", 0, ST, [("speaker", "stoltenberg5")]),
    ("naveo", 0, ST, [("speaker", "stoltenberg6")]),
    ("rasporedili", 0, DEP, [("quantity", "fig1000")]),         # saveznici "the Allies": no ORG span
    ("naveo", 1, ST, [("speaker", "stoltenberg7")]),
    ("napomenu", 0, ST, [("speaker", "stoltenberg7")]),
    ("napominje", 0, ST, [("speaker", "stoltenberg7")]),        # the report (his) notes
    ("obezbijedilo", 0, DEP, [("quantity", "fig4700"), ("time", "dec31")]),
    ("naveo", 2, ST, [("speaker", "stoltenberg8")]),
    ("napomenuo", 0, ST, [("speaker", "stoltenberg8")]),        # On "he"
    ("javila", 0, ST, [("speaker", "rt")]),
    ("naveo", 3, ST, [("speaker", "stoltenberg9")]),
]
CLAIMS[SR] = [
    ("NATO je sa BiH", 0, "regionalnu bezbjednost", [("claimant", "stoltenberg1")]),
    ("NATO nastavlja", 0, "Partnerstvo za mir\"", [("claimant", "stoltenberg1")]),
    ("je u novembru", 0, "u Sjevernoj Makedoniji", [("claimant", "stoltenberg2")]),
    ("posjeta je prenijela", 0, "bezbjednosnog okruženja", [("claimant", "stoltenberg2")]),
    ("on predstavlja", 0, "pronalaženje rješenja", [("claimant", "stoltenberg3")]),
    ("NATO ostaje", 0, "širom regiona", [("claimant", "stoltenberg4")]),
    ("misija Kfora", 0, "1999. godine", [("claimant", "stoltenberg4")]),
    ("snage Kfora", 0, "međunarodnim akterima", [("claimant", "stoltenberg5")]),
    ("su NATO snage", 0, "sjeveru pokrajine", [("claimant", "stoltenberg6")]),
    ("Poslije nasilja", 0, "pojačanje u deceniji", [("claimant", "stoltenberg7")]),
    ("je to omogućilo", 0, "Kosova i Metohije", [("claimant", "stoltenberg7")]),
    ("je 27 saveznika", 0, "rezervni sastav", [("claimant", "stoltenberg7")]),
    ("su NATO snage", 1, "bezbjednog okruženja", [("claimant", "stoltenberg8")]),
    ("je NATO nastavio", 0, "iz 13 zemalja", [("claimant", "stoltenberg8")]),
    ("Tim je u prošloj godini", 0, "upravljanje resursima", [("claimant", "stoltenberg9")]),
]

EVENTS[EN] = [
    ("met", 0, M, [("participant", "geoana1"), ("participant", "lajcak1"), ("time", "today"), ("time", "d13")]),
    ("visited", 0, VIS, [("visitor", "lajcak1")]),
    ("briefed", 0, ST, [("speaker", "lajcak2"), ("addressee", "nac")]),
    ("said", 0, ST, [("speaker", "geoana2")]),
    ("added", 0, ST, [("speaker", "geoana2")]),                  # he
    ("recalled", 0, ST, [("speaker", "geoana3")]),
    ("arrived", 0, DEP, [("agent", "nato6"), ("time", "d0605")]),
    ("deployed", 0, DEP, [("quantity", "fig500")]),              # the Turkish battalion = the ~500 soldiers
    ("deployment", 0, DEP, [("agent", "nato8")]),
]
CLAIMS[EN] = [
    ("The long-standing", 0, "make a difference", [("claimant", "geoana2")]),
    ("NATO Headquarters", 0, "Belgrade and Pristina", [("claimant", "geoana2")]),
    ("NATO has been committed", 0, "of this commitment", [("claimant", "geoana3")]),
]

# ---------------------------------------------------------------------------------------
# Sentences of the translation group: the opening words of each, in text order.
SENTENCES[VI] = [
    "Phó Tổng thư ký Nato Mircea Geoana (phải)",                 # 0 photo caption
    "(Nguồn: NATO) |",                                           # 1 photo credit
    "Ngày 14/6, Phó Tổng thư ký",                                # 2 the meeting
    "Đại sứ Lajcak thông báo",                                   # 3 the briefing
    "Căng thẳng đã gia tăng",                                    # 4 tensions
    "Trong khi đó, suốt hơn hai thập niên",                      # 5 KFOR background
    "Nhiệm vụ của KFOR",                                         # 6 4,200 soldiers
    "Phát biểu tại cuộc gặp",                                    # 7 quote 1
    "Theo ông Geoana",                                           # 8 quote 2
    "Phó Tổng thư ký Geoana nhấn mạnh",                          # 9 quote 3
    "Đối thoại giữa NATO và EU diễn ra",                         # 10 UK, 500 Turkish soldiers
    "Phái bộ KFOR do NATO lãnh đạo",                             # 11 mandate
]
SENTENCES[FR] = [
    "Depuis plus de deux décennies",                             # 0 lead
    "Le secrétaire général adjoint de l'OTAN, Mircea Geoana (à droite)",  # 1 photo caption
    "(Source : OTAN) |",                                         # 2 photo credit
    "Le 14 juin, le secrétaire",                                 # 3 the meeting
    "L'ambassadeur Lajcak a informé",                            # 4 the briefing
    "Les tensions se sont accrues",                              # 5 tensions
    "Pendant ce temps",                                          # 6 KFOR background
    "La mission de la KFOR, actuellement",                       # 7 4,200 soldiers
    "S'exprimant lors de la réunion",                            # 8 quote 1
    "Selon M. Geoana",                                           # 9 quote 2
    "La secrétaire générale adjointe Geoana a souligné",         # 10 quote 3
    "Le dialogue OTAN-UE intervient",                            # 11 UK, 500 Turkish soldiers
    "La mission KFOR dirigée",                                   # 12 mandate
    "Source\n",                                                  # 13 page furniture
    "Comment (0)",                                               # 14 page furniture
]
SENTENCES[EN] = [
    "News: NATO and EU together",                                # 0 headline
    "NATO Deputy Secretary General Mircea Geoană met",           # 1 the meeting
    "Ambassador Lajcak also briefed",                            # 2 the briefing
    "“The long-standing",                                        # 3 quote 1
    "“NATO Headquarters",                                        # 4 quote 2 ...
    "Belgrade and Pristina,” he added.",                         # 5 ... split by a full stop
    "Mr. Geoana recalled",                                       # 6 quote 3
    "The NATO-led KFOR mission takes",                           # 7 mandate ...
    "1999.",                                                     # 8 ... its year, split off
    "NATO reinforcements arrived",                               # 9 5 June arrival
    "Around 500 Turkish soldiers",                               # 10 500 Turkish soldiers
    "The Turkish battalion will",                                # 11
    "An additional battalion",                                   # 12
    "NATO also continues to support",                            # 13
    "Related posts",                                             # 14 page furniture
    "Defense Minister:",                                         # 15 related-post titles
    "Increasing the credibility",                                # 16
    "Western analysts warn",                                     # 17
]

# Alignment blocks: (sentences of the lower-id document, sentences of the higher-id one).
# Monotone (no crossing blocks); 1-0 / 0-1 blocks for sentences without a counterpart.
ALIGNMENTS: dict[tuple[str, str], list[tuple[list[int], list[int]]]] = {
    (VI, FR): [([], [0]), ([0], [1]), ([1], [2]), ([2], [3]), ([3], [4]), ([4], [5]), ([5], [6]), ([6], [7]),
               ([7], [8]), ([8], [9]), ([9], [10]), ([10], [11]), ([11], [12]), ([], [13]), ([], [14])],
    # vi 10 (UK to 2026; 500 soldiers from Turkey) is not a translation of any English
    # sentence (it echoes en 10 only in part, and comes after the mandate sentence, which
    # comes before in English): it stays 1-0, and the mandate sentences align 1-2.
    (VI, EN): [([0], []), ([1], []), ([], [0]), ([2], [1]), ([3], [2]), ([4], []), ([5], []), ([6], []),
               ([7], [3]), ([8], [4, 5]), ([9], [6]), ([10], []), ([11], [7, 8]),
               ([], [9]), ([], [10]), ([], [11]), ([], [12]), ([], [13]), ([], [14]), ([], [15]), ([], [16]),
               ([], [17])],
    (FR, EN): [([0], []), ([1], []), ([2], []), ([], [0]), ([3], [1]), ([4], [2]), ([5], []), ([6], []), ([7], []),
               ([8], [3]), ([9], [4, 5]), ([10], [6]), ([11], []), ([12], [7, 8]),
               ([], [9]), ([], [10]), ([], [11]), ([], [12]), ([], [13]), ([13], []), ([14], []), ([], [14]),
               ([], [15]), ([], [16]), ([], [17])],
}

# Links between counterpart spans, from the lower document id to the higher one.
_SAME_VI_FR = ["nato_cap", "geoana_cap", "eu_cap", "lajcak_cap", "d14_cap", "nato_src",
               "d14", "nato_full", "nato1", "geoana1", "lajcak1", "eu_full", "eu1", "eu2",
               "lajcak2", "nato2", "eu3", "d13",
               "nato3", "kfor_full", "kfor1", "kfor2", "fig4200", "fig27", "nato4",
               "geoana2", "nato5", "eu4", "geoana3", "nato6", "kfor3", "nato7", "eu5", "osce_full", "osce", "eu6",
               "geoana4", "nato8", "kfor4", "fig4000",
               "nato9", "eu7", "kfor5", "d2026", "fig500", "kfor6",
               "kfor7", "nato10", "un1", "unsc", "un2", "d1999"]
# vi/fr -> en: the same keys in 001 and 002 stand for the same mentions.
_TO_EN = [
    ("d14", "d13"),            # 14 June vs 13 June: the translations disagree; the link shows it
    ("nato_full", "nato1"), ("nato1", "nato1"),   # full name + acronym both render English "NATO"
    ("geoana1", "geoana1"), ("lajcak1", "lajcak1"),
    ("eu_full", "eu1"), ("eu1", "eu1"),
    ("lajcak2", "lajcak2"), ("eu3", "eu2"),
    ("geoana2", "geoana2"), ("nato5", "nato2"), ("eu4", "eu3"),
    ("nato6", "nato3"), ("kfor3", "kfor1"), ("eu5", "eu_full"), ("osce_full", "osce"), ("osce", "osce"),
    ("eu6", "eu4"),
    ("geoana4", "geoana3"), ("nato8", "nato4"), ("kfor4", "kfor2"), ("fig4000", "fig4000"),
    ("fig500", "fig500"),      # the same ~500 Turkish soldiers, in sentences that are not aligned
    ("kfor7", "kfor3"), ("nato10", "nato5"), ("un1", "un1"), ("unsc", "unsc"), ("un2", "un2"),
    ("d1999", "d1999"),
]
LINKS: dict[tuple[str, str], list[tuple[str, str]]] = {
    (VI, FR): [(k, k) for k in _SAME_VI_FR],
    (VI, EN): list(_TO_EN),
    (FR, EN): list(_TO_EN),
}


# ---------------------------------------------------------------------------------------
# Issue 14: attributes, relations and entity clusters (seeds/gold/GUIDELINES.md, "Event
# attributes" and after).

# Events: realis, polarity, tense. Every event of the seeds is reported as having taken
# place (actual, positive, past) except those listed: the English "will be deployed for as
# long as necessary" and "on alert for deployment if necessary".
EVENT_DEFAULT = (("realis", "actual"), ("polarity", "positive"), ("tense", "past"))
EVENT_ATTRS: dict[str, dict[int, tuple[tuple[str, str], ...]]] = {
    EN: {8: (("realis", "other"), ("polarity", "positive"), ("tense", "future")),
         9: (("realis", "other"), ("polarity", "positive"), ("tense", "future"))},
}

# Claims: (claim type, check-worthy) by claim number; the stance is "asserts" for every
# claim of the seeds (each claimant states the content as true). No verdict: none has been
# checked against a source.
_GROUP_CLAIMS = {1: ("quotation", False), 2: ("quotation", False), 3: ("statistic", True)}
CLAIM_ATTRS: dict[str, dict[int, tuple[str, bool]]] = {
    BN: {1: ("other", False), 2: ("causal", True)},
    VI: _GROUP_CLAIMS, FR: _GROUP_CLAIMS, EN: _GROUP_CLAIMS,
    SR: {1: ("other", False), 2: ("other", True), 3: ("other", True), 4: ("other", False), 5: ("other", False),
         6: ("quotation", False), 7: ("other", True), 8: ("other", False), 9: ("other", False),
         10: ("statistic", True), 11: ("causal", True), 12: ("statistic", True), 13: ("other", False),
         14: ("statistic", True), 15: ("quotation", False)},
}

# Document labels: (topic, genre). No publication date: it comes from the source, which the
# seeds do not carry.
DOC_LABELS = {BN: ("security", "press_release"), VI: ("security", "news"), FR: ("security", "news"),
              SR: ("security", "news"), EN: ("security", "news")}

# Relations: (type, from span key, to span key), each within one sentence that states it.
_GROUP_RELATIONS = [("member_of", "geoana_cap", "nato_cap"), ("member_of", "lajcak_cap", "eu_cap"),
                    ("member_of", "geoana1", "nato_full"), ("member_of", "lajcak1", "eu_full"),
                    ("member_of", "kfor_full", "nato3"), ("quantity_of", "fig4200", "kfor2"),
                    ("quantity_of", "fig4000", "kfor4"), ("quantity_of", "fig500", "kfor6")]
RELATIONS: dict[str, list[tuple[str, str, str]]] = {
    BN: [("member_of", "kfor0", "nato0"), ("member_of", "eulex_name0", "eu0"), ("member_of", "lajcak1", "eu2"),
         ("member_of", "lajcak2", "eu_full1"), ("member_of", "geoana2", "nato3"), ("member_of", "escobar2", "bureau"),
         ("member_of", "kfor1", "nato5"), ("member_of", "eulex_name1", "eu3")],
    VI: _GROUP_RELATIONS, FR: _GROUP_RELATIONS,
    SR: [("member_of", "stoltenberg1", "alliance1"), ("member_of", "mlo", "alliance2"),
         ("member_of", "kfor2", "alliance4"), ("member_of", "nalt", "alliance5"), ("quantity_of", "fig40", "nalt")],
    EN: [("member_of", "geoana1", "nato1"), ("member_of", "lajcak1", "eu1"), ("quantity_of", "fig4000", "kfor2"),
         ("member_of", "kfor3", "nato5")],
}

# Entity clusters: one per real-world person or organisation mentioned twice or more in the
# seeds, the same cluster in every document (so across the translation group); a span
# key's cluster by its stem. NATO Headquarters (an institution of its own) and entities
# named once are in no cluster. Wikidata ids only where certain.
CLUSTERS = {"nato": "Q7184", "eu": "Q458", "un": "Q1065", "kfor": None, "eulex": None, "osce": None, "unsc": None,
            "geoana": None, "lajcak": None, "escobar": None, "stoltenberg": None}
_STEM = regex.compile(r"(alliance|eulex_name|[a-z]+?)(?:_(?:cap|src|full|head))?\d*")


def cluster_of(key: str) -> str | None:
    """The entity cluster of a PERSON or ORG span key (`nato_full`, `alliance3`: NATO)."""
    if key == "nato_hq":
        return None
    m = _STEM.fullmatch(key)
    if m is None:
        return None
    stem = {"alliance": "nato", "eulex_name": "eulex"}.get(m.group(1), m.group(1))
    return stem if stem in CLUSTERS else None


# ---------------------------------------------------------------------------------------
# Resolution of the decisions to code-point offsets.
class BuildError(Exception):
    pass


_WORD = regex.compile(r"\w")


def whole_word_occurrences(text: str, surface: str) -> list[int]:
    out, i = [], text.find(surface)
    while i >= 0:
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(surface)] if i + len(surface) < len(text) else " "
        left_ok = not (_WORD.match(before) and _WORD.match(surface[0]))
        right_ok = not (_WORD.match(after) and _WORD.match(surface[-1]))
        if left_ok and right_ok:
            out.append(i)
        i = text.find(surface, i + 1)
    return out


def locate(text: str, surface: str, occ: int, what: str) -> tuple[int, int]:
    hits = whole_word_occurrences(text, surface)
    if not hits:
        raise BuildError(f"{what}: {surface!r} not found")
    if occ >= len(hits):
        raise BuildError(f"{what}: {surface!r} occurs {len(hits)} time(s), occurrence {occ} asked")
    return hits[occ], hits[occ] + len(surface)


def unique(text: str, surface: str, what: str) -> int:
    n = text.count(surface)
    if n != 1:
        raise BuildError(f"{what}: {surface!r} occurs {n} times, expected exactly once")
    return text.index(surface)


def load_manifest() -> dict[str, dict]:
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    return {d["id"]: d for d in manifest["documents"]}


def seed_text(entry: dict) -> str:
    return (SEEDS / entry["file"]).read_bytes().decode("utf-8")


def span_id(doc: str, key: str) -> str:
    return f"g{doc[:3]}-{key}"


def sentence_ranges(doc: str, text: str) -> list[tuple[int, int]]:
    starts = [unique(text, s, f"{doc} sentence {i}") for i, s in enumerate(SENTENCES[doc])]
    if starts != sorted(starts):
        raise BuildError(f"{doc}: sentence openings are not in text order")
    if text[: starts[0]].strip():
        raise BuildError(f"{doc}: text before the first sentence: {text[:starts[0]]!r}")
    ranges = []
    for i, s in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        while end > s and text[end - 1].isspace():
            end -= 1
        ranges.append((s, end))
    return ranges


def resolve_spans(doc: str, text: str) -> dict[str, SpanRecord]:
    spans: dict[str, SpanRecord] = {}
    for key, surface, occ, label, value, note in SPANS[doc]:
        what = f"{doc} span {key}"
        if key in spans:
            raise BuildError(f"{what}: duplicate key")
        if surface != surface.strip() or not surface:
            raise BuildError(f"{what}: surface {surface!r} is not trimmed")
        start, end = locate(text, surface, occ, what)
        if label in ("DATE", "FIGURE") and value is None:
            raise BuildError(f"{what}: a {label} needs a value")
        problem = value_problem(label, value)
        if problem:
            raise BuildError(f"{what}: value {value!r}: {problem}")
        spans[key] = SpanRecord(span_id(doc, key), start, end, label, text[start:end], value, note)
    seen: dict[tuple[int, int, str], str] = {}
    for key, s in spans.items():
        if (s.start, s.end, s.label) in seen:
            raise BuildError(f"{doc}: spans {seen[(s.start, s.end, s.label)]} and {key} are the same mention")
        seen[(s.start, s.end, s.label)] = key
    return spans


def _arguments(doc: str, args, spans: dict[str, SpanRecord], what: str) -> tuple[ArgumentRecord, ...]:
    out = []
    for role, key in args:
        if key not in spans:
            raise BuildError(f"{what}: argument {role}={key!r} is not a span key of {doc}")
        out.append(ArgumentRecord(role, spans[key].id))
    return tuple(out)


def resolve_events(doc: str, text: str, spans) -> tuple[EventRecord, ...]:
    out = []
    for i, (trigger, occ, etype, args) in enumerate(EVENTS.get(doc, []), start=1):
        what = f"{doc} event {i} {trigger!r}"
        start, end = locate(text, trigger, occ, what)
        out.append(EventRecord(f"g{doc[:3]}-e{i}", etype, start, end, text[start:end],
                               _arguments(doc, args, spans, what), EVENT_ATTRS.get(doc, {}).get(i, EVENT_DEFAULT)))
    return tuple(out)


def subjects_inside(spans: dict[str, SpanRecord], start: int, end: int, taken: set[str]) -> list[str]:
    """Keys of the spans inside [start, end) not already an argument, in text order: what the
    claim is about."""
    inside = [(s.start, s.end, key) for key, s in spans.items()
              if start <= s.start and s.end <= end and key not in taken]
    return [key for _s, _e, key in sorted(inside)]


def resolve_claims(doc: str, text: str, spans) -> tuple[ClaimRecord, ...]:
    out = []
    for i, (first, occ, last, args) in enumerate(CLAIMS.get(doc, []), start=1):
        what = f"{doc} claim {i} {first!r}"
        start, _ = locate(text, first, occ, what)
        j = text.find(last, start)
        if j < 0:
            raise BuildError(f"{what}: end {last!r} not found after the start")
        end = j + len(last)
        if "\n" in text[start:end]:
            raise BuildError(f"{what}: the claim crosses a line end")
        args = list(args) + [("subject", key) for key in subjects_inside(spans, start, end, {k for _r, k in args})]
        if i not in CLAIM_ATTRS.get(doc, {}):
            raise BuildError(f"{what}: no claim type and check-worthiness decided")
        claim_type, worthy = CLAIM_ATTRS[doc][i]
        attrs = (("stance", "asserts"), ("check_worthy", worthy), ("claim_type", claim_type))
        out.append(ClaimRecord(f"g{doc[:3]}-c{i}", start, end, text[start:end], _arguments(doc, args, spans, what),
                               attrs))
    return tuple(out)


def resolve_alignment(a: str, b: str, ta: str, tb: str) -> AlignmentRecord:
    ra, rb = sentence_ranges(a, ta), sentence_ranges(b, tb)
    blocks, used_a, used_b = [], [], []
    pos_a = pos_b = 0  # end of the last sentence placed on each side: where an empty side sits
    for sa, sb in ALIGNMENTS[(a, b)]:
        for side, idx, used in (("a", sa, used_a), ("b", sb, used_b)):
            if idx and idx != list(range(idx[0], idx[-1] + 1)):
                raise BuildError(f"{a}->{b}: block side {side} {idx} is not consecutive sentences")
            used.extend(idx)
        if not sa and not sb:
            raise BuildError(f"{a}->{b}: an empty block")
        a_range = (ra[sa[0]][0], ra[sa[-1]][1]) if sa else (pos_a, pos_a)
        b_range = (rb[sb[0]][0], rb[sb[-1]][1]) if sb else (pos_b, pos_b)
        pos_a, pos_b = a_range[1], b_range[1]
        blocks.append(Block(*a_range, *b_range))
    for side, used, n in (("a", used_a, len(ra)), ("b", used_b, len(rb))):
        if used != list(range(n)):
            raise BuildError(f"{a}->{b}: side {side} does not take every sentence once, in order: {used}")
    return AlignmentRecord(b, tuple(blocks))


def build_records() -> list[DocumentRecord]:
    manifest = load_manifest()
    texts = {doc: seed_text(entry) for doc, entry in manifest.items()}
    spans = {doc: resolve_spans(doc, texts[doc]) for doc in manifest}
    alignments: dict[str, list[AlignmentRecord]] = {}
    links: dict[str, list[LinkRecord]] = {}
    for (a, b) in ALIGNMENTS:
        if not a < b:
            raise BuildError(f"alignment {a}->{b} must go from the lower id to the higher")
        alignments.setdefault(a, []).append(resolve_alignment(a, b, texts[a], texts[b]))
    for (a, b), pairs in LINKS.items():
        if not a < b:
            raise BuildError(f"links {a}->{b} must go from the lower id to the higher")
        seen = set()
        for ka, kb in pairs:
            if ka not in spans[a] or kb not in spans[b]:
                raise BuildError(f"link {a}:{ka} -> {b}:{kb}: unknown span key")
            sa, sb = spans[a][ka], spans[b][kb]
            if sa.label != sb.label:
                raise BuildError(f"link {a}:{ka} ({sa.label}) -> {b}:{kb} ({sb.label}): labels differ")
            if (ka, kb) in seen:
                raise BuildError(f"link {a}:{ka} -> {b}:{kb} twice")
            seen.add((ka, kb))
            links.setdefault(a, []).append(LinkRecord(sa.id, b, sb.id))
    records = []
    for doc, entry in manifest.items():
        doc_spans = {k: replace(sp, entity=cluster_of(k) if sp.label in ("PERSON", "ORG") else None)
                     for k, sp in spans[doc].items()}
        doc_relations = []
        for n, (rtype, ka, kb) in enumerate(RELATIONS.get(doc, []), start=1):
            if ka not in doc_spans or kb not in doc_spans:
                raise BuildError(f"{doc} relation {n}: unknown span key {ka if ka not in doc_spans else kb!r}")
            doc_relations.append(RelationRecord(f"g{doc[:3]}-r{n}", rtype, doc_spans[ka].id, doc_spans[kb].id))
        used = sorted({sp.entity for sp in doc_spans.values() if sp.entity is not None})
        topic, genre = DOC_LABELS[doc]
        by_id = {s.id: s for s in doc_spans.values()}
        # The orders the export uses, so that the records and the app's export are the same bytes.
        doc_links = sorted(links.get(doc, ()), key=lambda lk: (by_id[lk.span].start, by_id[lk.span].end, lk.span,
                                                                lk.target_doc, lk.target_span))
        doc_events = tuple(sorted(resolve_events(doc, texts[doc], doc_spans),
                                  key=lambda e: (e.trigger_start, e.trigger_end, e.type, e.id)))
        doc_claims = tuple(sorted(resolve_claims(doc, texts[doc], doc_spans), key=lambda c: (c.start, c.end, c.id)))
        records.append(DocumentRecord(
            id=doc, lang=entry["lang"], text=texts[doc], title=entry.get("title"), source=entry["file"],
            spans=tuple(sorted(doc_spans.values(), key=lambda s: (s.start, s.end, s.label, s.id))),
            events=doc_events, claims=doc_claims,
            group=entry.get("group"), alignments=tuple(alignments.get(doc, ())), links=tuple(doc_links),
            annotator=ANNOTATOR, status="done", relations=tuple(doc_relations),
            entities=tuple(EntityRecord(e, CLUSTERS[e]) for e in used),
            attributes=(("topic", topic), ("genre", genre))))
    return records


# ---------------------------------------------------------------------------------------
# Through the app.
def _run(*args: str, into: Path | None = None) -> str:
    """Runs `annotator ARGS`; its standard output goes to `into` when given (an export to
    stdout names no schema file beside it, so its bytes do not depend on the file's name)."""
    exe = ROOT / ".venv" / "bin" / "annotator"
    cmd = [str(exe) if exe.exists() else "annotator", *args]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True)
    if done.returncode != 0:
        raise BuildError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout.decode()}{done.stderr.decode()}")
    if into is not None:
        into.write_bytes(done.stdout)
    return done.stderr.decode().strip()


def build(out: Path, verbose: bool = True) -> None:
    records = build_records()
    with tempfile.TemporaryDirectory(prefix="seed-gold-") as tmp:
        tmp = Path(tmp)
        src = tmp / "records.jsonl"
        with src.open("wb") as fh:
            gold_jsonl.write(records, fh)
        msgs = []
        project = tmp / "gold.annotator"
        msgs.append(_run("init", str(project)))
        msgs.append(_run("import", str(project), str(src)))
        exported = tmp / "seeds.gold.jsonl"
        msgs.append(_run("export", str(project), "--annotator", ANNOTATOR, into=exported))
        msgs.append(_run("validate", str(exported), "--schema", str(ROOT / "resources" / "schema.json")))
        if not regex.search(r" 0 bad(; 0 warning\(s\))?$", msgs[-1]):
            raise BuildError(f"validate: {msgs[-1]}")
        # Round trip: import the export into a fresh seeded project and export again.
        again = tmp / "again.annotator"
        msgs.append(_run("init", str(again)))
        msgs.append(_run("import", str(again), str(exported)))
        exported2 = tmp / "again.jsonl"
        msgs.append(_run("export", str(again), "--annotator", ANNOTATOR, into=exported2))
        if exported.read_bytes() != exported2.read_bytes():
            raise BuildError("re-importing the export and exporting again changed the bytes")
        data = exported.read_bytes()
        if data != src.read_bytes():
            raise BuildError("the app's export differs from the records the script built")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    if verbose:
        for m in msgs:
            print(m)
        print(f"wrote {out.relative_to(ROOT)}")
        summary(records)


def summary(records: list[DocumentRecord]) -> None:
    for rec in records:
        per = {lab: sum(1 for s in rec.spans if s.label == lab) for lab in ("PERSON", "ORG", "FIGURE", "DATE")}
        blocks = sum(len(al.blocks) for al in rec.alignments)
        print(f"{rec.id} {rec.lang}: spans {len(rec.spans)} {per}, events {len(rec.events)}, "
              f"claims {len(rec.claims)}, alignment blocks {blocks}, links {len(rec.links)}")


def show() -> None:
    """Print every resolved span, trigger and claim in context (for reviewing decisions)."""
    for rec in build_records():
        print(f"== {rec.id}")
        t = rec.text
        for s in rec.spans:
            ctx = t[max(0, s.start - 25):s.start] + "[" + s.text + "]" + t[s.end:s.end + 25]
            print(f"  {s.id:22} {s.label:6} {s.value or '':10} {ctx!r}")
        for e in rec.events:
            print(f"  {e.id} {e.type} {e.trigger_text!r} " + ", ".join(f"{a.role}={a.span}" for a in e.arguments))
        for c in rec.claims:
            print(f"  {c.id} {c.text!r} " + ", ".join(f"{a.role}={a.span}" for a in c.arguments))
        for al in rec.alignments:
            print(f"  -> {al.target}: {len(al.blocks)} blocks")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the resolved annotations in context")
    parser.add_argument("--check", action="store_true", help="build in a temporary place and compare with the file")
    args = parser.parse_args(argv)
    try:
        if args.show:
            show()
            return 0
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "seeds.gold.jsonl"
                build(out, verbose=False)
                same = out.read_bytes() == OUT.read_bytes()
            print("up to date" if same else f"{OUT} differs from a fresh build")
            return 0 if same else 1
        build(OUT)
    except BuildError as exc:
        print(f"build_seed_gold: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
