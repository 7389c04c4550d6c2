"""`annotator align`, `project-spans` and `groups`, run as a user runs them."""

import re

import orjson

from tests.core.test_grouping import IDS
from tests.core.test_sentences import seed
from tests.e2e.test_command_line import sh

EN, FR = IDS["004"], IDS["002"]


def lines(out: bytes) -> list:
    return [orjson.loads(x) for x in out.splitlines()]


def test_groups_align_and_project_on_the_seeds(tmp_path):
    project = tmp_path / "seeds.annotator"
    assert sh("init", project).returncode == 0

    suggested = sh("groups", project, "--suggest")
    assert suggested.returncode == 0, suggested.stderr
    [group] = lines(suggested.stdout)
    assert group["documents"] == [IDS["001"], FR, EN] and 0 < group["score"] <= 1
    assert lines(sh("groups", project).stdout) == [{"group": "nato-eu-kosovo-2023-06",
                                                    "documents": [IDS["001"], FR, EN]}]

    aligned = sh("align", project, EN, FR)
    assert aligned.returncode == 0 and b"suggested alignment" in aligned.stderr
    blocks = lines(aligned.stdout)
    (en, _), (fr, _) = seed("004"), seed("002")
    assert all(set(b) == {"a", "b"} and b["a"][0] <= b["a"][1] and b["b"][0] <= b["b"][1] for b in blocks)
    for side, text in (("a", en), ("b", fr)):  # in order, disjoint, every non-space character inside
        ranges = [b[side] for b in blocks if b[side][0] < b[side][1]]
        assert all(x[1] <= y[0] for x, y in zip(ranges, ranges[1:]))
        inside = {i for lo, hi in ranges for i in range(lo, hi)}
        assert all(i in inside for i, c in enumerate(text) if not c.isspace())

    # A layer with spans and a stored alignment for "ann".
    nato, figure = en.index("NATO"), en.index("4,000")
    met, meeting = en.index("NATO Deputy"), fr.index("Le 14 juin, le")
    layer = {"id": EN, "lang": "en", "text": en, "annotator": "ann",
             "spans": [{"id": "n1", "start": nato, "end": nato + 4, "label": "ORG", "text": "NATO"},
                       {"id": "f1", "start": figure, "end": figure + 5, "label": "FIGURE", "text": "4,000"}],
             "alignments": [{"target": FR, "blocks": [{"a": [0, met], "b": [0, meeting]},
                                                      {"a": [met, len(en)], "b": [meeting, len(fr)]}]}]}
    path = tmp_path / "layer.jsonl"
    path.write_bytes(orjson.dumps(layer) + b"\n")
    imported = sh("import", project, path)
    assert imported.returncode == 0, imported.stderr

    stored = sh("align", project, FR, EN)
    assert b"ann's stored alignment" in stored.stderr
    assert lines(stored.stdout) == [{"a": [0, meeting], "b": [0, met]}, {"a": [meeting, len(fr)], "b": [met, len(en)]}]

    projected = sh("project-spans", project, "--from", EN, "--to", FR)
    assert projected.returncode == 0, projected.stderr
    got = lines(projected.stdout)
    assert {"source": "n1", "start": fr.index("OTAN"), "end": fr.index("OTAN") + 4, "label": "ORG", "text": "OTAN"} in got
    assert {"source": "f1", "start": fr.index("4 000"), "end": fr.index("4 000") + 5, "label": "FIGURE",
            "text": "4 000"} in got
    assert b"ann's stored alignment" in projected.stderr

    # With a second layer on the source, the command asks whose to project.
    bob = {"id": EN, "lang": "en", "text": en, "annotator": "bob",
           "spans": [{"id": "b1", "start": figure, "end": figure + 5, "label": "FIGURE", "text": "4,000"}]}
    path.write_bytes(orjson.dumps(bob) + b"\n")
    assert sh("import", project, path).returncode == 0
    ambiguous = sh("project-spans", project, "--from", EN, "--to", FR, text=True)
    assert ambiguous.returncode == 1 and "(ann, bob); choose one with --annotator" in ambiguous.stderr
    bobs = sh("project-spans", project, "--from", EN, "--to", FR, "--annotator", "bob")
    assert [p["source"] for p in lines(bobs.stdout)] == ["b1"] and b"suggested alignment" in bobs.stderr


def test_unknown_documents_and_projects_are_named(tmp_path):
    project = tmp_path / "empty.annotator"
    assert sh("init", project, "--empty").returncode == 0
    for args in (("align", project, "nope", "other"), ("project-spans", project, "--from", "nope", "--to", "x")):
        out = sh(*args, text=True)
        assert out.returncode == 1
        assert f"{project}: no document 'nope'" in out.stderr
    assert sh("groups", tmp_path / "missing.annotator", "--suggest").returncode == 1
    assert sh("groups", project, "--suggest").stdout == b""


def test_align_prints_the_vecalign_format_over_the_app_s_sentences(tmp_path):
    from annotator.core.alignment import align_sentences, vecalign_lines
    from annotator.core.sentences import split_sentences

    project = tmp_path / "seeds.annotator"
    assert sh("init", project).returncode == 0
    out = sh("align", project, EN, FR, "--format", "vecalign", "--aligner", "length", text=True)
    assert out.returncode == 0, out.stderr
    assert "suggested alignment (length and anchors; none stored)" in out.stderr
    lines_out = out.stdout.splitlines()
    (en, le), (fr, lf) = seed("004"), seed("002")
    assert lines_out == vecalign_lines(align_sentences(en, le, fr, lf), en, le, fr, lf)
    # Every sentence of both documents once, in order, as `[0]:[0, 1]` lines.
    matches = [re.fullmatch(r"\[([\d, ]*)\]:\[([\d, ]*)\]", line) for line in lines_out]
    assert all(matches)
    parsed = [[[int(x) for x in g.split(", ") if x] for g in mt.groups()] for mt in matches]
    assert [i for a, _b in parsed for i in a] == list(range(len(split_sentences(en, le))))
    assert [j for _a, b in parsed for j in b] == list(range(len(split_sentences(fr, lf))))


def test_align_learns_the_length_model_of_a_language_pair_from_its_stored_alignments(tmp_path):
    import random

    from annotator.core.alignment import align_sentences, learned_length_model
    from tests.core.learning_data import confirmed_pair, pair_with_untranslated

    project = tmp_path / "seeds.annotator"
    assert sh("init", project).returncode == 0
    rng = random.Random(1)
    confirmed = [confirmed_pair(rng), confirmed_pair(rng)]
    ta, _sa, tb, _sb, _gold = pair_with_untranslated(rng)
    records = [{"id": "new-en", "lang": "en", "text": ta}, {"id": "new-fr", "lang": "fr", "text": tb}]
    for k, (src, tgt, blocks) in enumerate(confirmed):
        records.append({"id": f"kept-fr-{k}", "lang": "fr", "text": tgt})
        records.append({"id": f"kept-en-{k}", "lang": "en", "text": src, "annotator": "ann",
                        "alignments": [{"target": f"kept-fr-{k}", "blocks": [
                            {"a": [b.a_start, b.a_end], "b": [b.b_start, b.b_end]} for b in blocks]}]})
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))

    before = sh("align", project, EN, FR, "--aligner", "length", text=True)
    assert before.returncode == 0 and "learned" not in before.stderr  # nothing stored for en-fr yet
    imported = sh("import", project, path)
    assert imported.returncode == 0, imported.stderr
    for a, b, pair in ((EN, FR, "en-fr"), ("new-fr", "new-en", "fr-en"), ("new-en", "new-fr", "en-fr")):
        out = sh("align", project, a, b, "--aligner", "length", text=True)
        assert out.returncode == 0, out.stderr
        assert f"length model learned from 2 confirmed alignment(s) of {pair}" in out.stderr
    got = [orjson.loads(x) for x in out.stdout.splitlines()]
    learned = align_sentences(ta, "en", tb, "fr", model=learned_length_model(confirmed))
    assert got == [{"a": [b.a_start, b.a_end], "b": [b.b_start, b.b_end]} for b in learned]
    assert learned != align_sentences(ta, "en", tb, "fr")  # what it printed before learning
    stored = sh("align", project, "kept-en-0", "kept-fr-0", text=True)
    assert "ann's stored alignment" in stored.stderr and "learned" not in stored.stderr


def test_align_prints_a_stored_crossing_link_in_both_formats(tmp_path):
    from annotator.core import alignment_edit as edit
    from annotator.core.alignment import align_sentences
    from annotator.core.sentences import split_sentences
    from annotator.store.parallel import document_ids, save_alignment
    from annotator.store.project import Project

    project = tmp_path / "seeds.annotator"
    assert sh("init", project).returncode == 0
    (en, le), (fr, lf) = seed("004"), seed("002")
    sa, sb = split_sentences(en, le), split_sentences(fr, lf)
    blocks, link = edit.cross(align_sentences(en, le, fr, lf), sa[1][0], sb[-2][0], sa, sb)
    with Project.open(project) as p:
        with p.read() as conn:
            ids = document_ids(conn, [EN, FR])
        save_alignment(p, ids[EN], ids[FR], "ann", blocks, crossings=[link])
    out = sh("align", project, EN, FR, "--annotator", "ann", "--format", "vecalign", text=True)
    assert out.returncode == 0 and "ann's stored alignment with 1 crossing link(s)" in out.stderr
    assert f"[1]:[{len(sb) - 2}]" in out.stdout.splitlines() and "[1]:[]" not in out.stdout.splitlines()
    assert f"[]:[{len(sb) - 2}]" not in out.stdout.splitlines()
    jsonl = lines(sh("align", project, EN, FR, "--annotator", "ann").stdout)
    assert jsonl[-1] == {"a": [link.a_start, link.a_end], "b": [link.b_start, link.b_end], "crossing": True}
    assert all("crossing" not in b for b in jsonl[:-1])
