"""Agreement on entity clusters (issue 14): the MUC and B-cubed scores of coreference,
as defined in Pradhan et al., "Scoring Coreference Partitions of Predicted Mentions: A
Reference Implementation" (ACL 2014, https://aclanthology.org/P14-2006), which extends
Vilain et al. 1995 (MUC) and Bagga and Baldwin 1998 (B-cubed) to mentions that only one
side has. Not CEAF, so not the CoNLL F1 (their mean): every figure says which it is.

A clustering is a list of disjoint sets of mentions. A mention of an annotator's layer
is a span in a cluster, as (document id, start, end, fragments); spans in no cluster are
no mentions. Clusters run across the documents of a translation group, so a clustering
is taken over every document compared. Both F1 are symmetric, so two annotators need no
key side; None when undefined (MUC: neither side links two mentions; B-cubed: neither
side has a mention).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

from annotator.core.records import DocumentRecord

Cluster = frozenset[Hashable]


def clusters(records: Iterable[DocumentRecord]) -> list[Cluster]:
    """The clusters of one annotator's records, each a set of mentions."""
    out: dict[str, set[Hashable]] = {}
    for rec in records:
        for s in rec.spans:
            if s.entity is not None:
                out.setdefault(s.entity, set()).add((rec.id, s.start, s.end, s.fragments))
    return [frozenset(c) for c in out.values()]


def _parts(cluster: Cluster, other: Sequence[Cluster]) -> int:
    """|p(k, R)|: how many pieces the other clustering cuts a cluster into (a mention the
    other side lacks is a piece of its own)."""
    cut = sum(1 for r in other if cluster & r)
    return cut + len(cluster - frozenset().union(*other))


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float] | None:
    """(recall, precision, F1) of MUC: links kept, R = sum(|k| - |p(k, R)|) / sum(|k| - 1);
    None when neither side has a link. A side without links scores 0."""
    r_den = sum(len(k) - 1 for k in key)
    p_den = sum(len(r) - 1 for r in response)
    if not r_den and not p_den:
        return None
    recall = sum(len(k) - _parts(k, response) for k in key) / r_den if r_den else 0.0
    precision = sum(len(r) - _parts(r, key) for r in response) / p_den if p_den else 0.0
    return recall, precision, _f1(recall, precision)


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float, float] | None:
    """(recall, precision, F1) of B-cubed: per mention, the share of its cluster the other
    side puts with it, R = sum over k, r of |k & r|^2 / |k|, over sum |k|; None when
    neither side has a mention."""
    n_key, n_response = sum(map(len, key)), sum(map(len, response))
    if not n_key and not n_response:
        return None
    overlap = [(len(k), len(r), len(k & r)) for k in key for r in response]
    recall = sum(c * c / a for a, _b, c in overlap if c) / n_key if n_key else 0.0
    precision = sum(c * c / b for _a, b, c in overlap if c) / n_response if n_response else 0.0
    return recall, precision, _f1(recall, precision)


def _f1(recall: float, precision: float) -> float:
    return 2 * recall * precision / (recall + precision) if recall + precision else 0.0


def cluster_f1(a: Sequence[Cluster], b: Sequence[Cluster]) -> dict[str, float | None]:
    """MUC F1 and B-cubed F1 of two clusterings (symmetric)."""
    m, b3 = muc(a, b), b_cubed(a, b)
    return {"muc_f1": m[2] if m else None, "b_cubed_f1": b3[2] if b3 else None}
