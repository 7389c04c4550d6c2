"""Agreement on entity clusters (issue 14): MUC and B-cubed, checked on a case worked by
hand and against scorch (an independent implementation of the CoNLL-2011/2012 scores,
https://pypi.org/project/scorch/, a dev-only dependency) on random clusterings, with
mentions that only one side has."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scorch import scores

from annotator.core.agreement import report_to_dict, span_agreement
from annotator.core.cluster_agreement import b_cubed, clusters, muc
from annotator.core.records import DocumentRecord, EntityRecord, SpanRecord


def test_a_case_worked_by_hand():
    # key {a b c} {d e f g}; response {a b} {c d} {f g h i} (e only in the key, h and i only
    # in the response). MUC recall: (3 - 2) + (4 - 3) links kept of 2 + 3; precision: 1 + 0
    # + (4 - 3) of 1 + 1 + 3. B-cubed recall: (2/3 + 2/3 + 1/3 + 1/4 + 0 + 2/4 + 2/4) / 7;
    # precision: (1 + 1 + 1/2 + 1/2 + 2/4 + 2/4 + 0 + 0) / 8.
    key = [frozenset("abc"), frozenset("defg")]
    response = [frozenset("ab"), frozenset("cd"), frozenset("fghi")]
    assert muc(key, response) == pytest.approx((0.4, 0.4, 0.4))
    r, p = (35 / 12) / 7, 4 / 8
    assert b_cubed(key, response) == pytest.approx((r, p, 2 * r * p / (r + p)))
    assert muc([frozenset("a")], [frozenset("b")]) is None  # no link on either side
    assert b_cubed([], []) is None


def partitions(mentions: int):
    """A clustering of some of `mentions` mentions (each in one cluster at most)."""
    return st.lists(st.integers(-1, 4), min_size=mentions, max_size=mentions).map(
        lambda where: [frozenset(m for m, c in enumerate(where) if c == k) for k in range(5)
                       if any(c == k for c in where)])


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 14).flatmap(lambda n: st.tuples(partitions(n), partitions(n))))
def test_muc_and_b_cubed_match_scorch_on_random_clusterings(pair):
    key, response = pair
    mine_muc, mine_b3 = muc(key, response), b_cubed(key, response)
    if mine_muc is None:  # scorch gives 0 where neither side has a link; we say undefined
        assert scores.muc(key, response) == (0.0, 0.0, 0.0)
    else:
        assert mine_muc == pytest.approx(scores.muc(key, response))
    if mine_b3 is None:
        assert not key and not response
    else:
        assert mine_b3 == pytest.approx(scores.b_cubed(key, response))
    # F1 is symmetric: two annotators need no key side
    assert (muc(response, key) or (0, 0, None))[2] == pytest.approx((mine_muc or (0, 0, None))[2])
    assert (b_cubed(response, key) or (0, 0, None))[2] == pytest.approx((mine_b3 or (0, 0, None))[2])


TEXTS = {"en": "Geoană met Lajčák. He thanked him.", "fr": "Geoană a rencontré Lajčák. Il l'a remercié."}


def layer(annotator: str, groups: dict[str, list[tuple[str, str, int]]]) -> list[DocumentRecord]:
    """Records of the two documents with spans (document, word, occurrence) in clusters."""
    out = []
    for doc, text in TEXTS.items():
        spans, used = [], set()
        for entity, members in groups.items():
            for d, word, nth in members:
                if d != doc:
                    continue
                start = -1
                for _ in range(nth + 1):
                    start = text.index(word, start + 1)
                spans.append(SpanRecord(f"{doc}{start}", start, start + len(word), "PERSON", word, entity=entity))
                used.add(entity)
        out.append(DocumentRecord(id=doc, lang=doc, text=text, annotator=annotator, status="done",
                                  spans=tuple(spans), entities=tuple(EntityRecord(e) for e in sorted(used))))
    return out


def test_the_agreement_report_scores_clusters_across_the_translation_group():
    geoana = [("en", "Geoană", 0), ("en", "He", 0), ("fr", "Geoană", 0), ("fr", "Il", 0)]
    lajcak = [("en", "Lajčák", 0), ("en", "him", 0), ("fr", "Lajčák", 0)]
    ana = layer("ana", {"g": geoana, "l": lajcak})
    bob = layer("bob", {"g": geoana[:3], "l": lajcak + [geoana[3]]})  # "Il" put with Lajčák
    report = span_agreement({"ana": ana, "bob": bob})
    key, response = clusters(ana), clusters(bob)
    assert report.clusters == {"muc_f1": pytest.approx(muc(key, response)[2]),
                               "b_cubed_f1": pytest.approx(b_cubed(key, response)[2]), "mentions": 14}
    assert report.clusters["muc_f1"] == pytest.approx(scores.muc(key, response)[2])
    assert 0 < report.clusters["b_cubed_f1"] < 1
    assert "clusters" in report_to_dict(report)
    same = span_agreement({"ana": ana, "bob": layer("bob", {"g": geoana, "l": lajcak})})
    assert same.clusters["muc_f1"] == same.clusters["b_cubed_f1"] == 1.0
    none = span_agreement({"ana": layer("ana", {}), "bob": layer("bob", {})})
    assert none.clusters == {} and "clusters" not in report_to_dict(none)


def test_the_agreement_command_names_the_cluster_scores(tmp_path, capsys):
    from annotator.cli.commands import main
    from tests.store.test_attribute_counts import two_layers

    two_layers(tmp_path).close()
    assert main(["agreement", str(tmp_path / "p.annotator")]) == 0
    out = capsys.readouterr().out
    # ana and bob cluster the same mentions: "Mircea Geoană" with "he", NATO and KFOR alone
    assert "entity clusters: MUC F1 1.000, B-cubed F1 1.000 (8 clustered mention(s) in all layers)" in out
