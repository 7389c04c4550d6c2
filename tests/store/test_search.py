import random

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from annotator.core.fold import fold
from annotator.importer import seed
from annotator.store import migrate, search
from annotator.store.models import Base
from annotator.store.project import Project
from annotator.store.queries import document_text, list_documents
from annotator.store.search import ensure_search_index, first_hits, index_documents, search_documents


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeds(tmp_path_factory, request):
    """The seed project with its search index (FTS5 in a file, pg_trgm on the server), and
    seed number -> document id."""
    if request.param == "postgresql":
        project = Project.open(request.getfixturevalue("pg_databases").copy_of("seeded"))
    else:
        project = Project.create(tmp_path_factory.mktemp("search") / "s.annotator")
        seed(project)
    with project:
        with project.read() as conn:
            assert search.has_search_index(conn)
            ids = {r.uid[:3]: r.id for r in list_documents(conn)}
        yield project, ids


def found(project, query):
    with project.read() as conn:
        return search_documents(conn, query)


def seed_ids(ids, *numbers):
    return [ids[n] for n in numbers]


def brute_force(project, query):
    key = fold(query).strip()
    with project.read() as conn:
        return [r.id for r in list_documents(conn)
                if key in fold(r.title or "") or key in fold(document_text(conn, r.id))]


def test_bengali_word_finds_only_seed_000(seeds):
    project, ids = seeds
    assert found(project, "রাস্তার") == seed_ids(ids, "000")
    assert found(project, "ক্ষমতা") == brute_force(project, "ক্ষমতা")


@pytest.mark.parametrize("query", ["Geoana", "geoană", "GEOANĂ", "Geoa\u0306na"])
def test_name_with_or_without_diacritics(seeds, query):
    project, ids = seeds
    assert found(project, query) == seed_ids(ids, "001", "002", "004")


@pytest.mark.parametrize("query", ["Tổng thư ký", "tong thu ky", "To\u0302\u0309ng thu\u031b ky\u0301", "TONG  THU\u00a0KY"])
def test_vietnamese_phrase(seeds, query):
    project, ids = seeds
    assert found(project, query) == seed_ids(ids, "001")


def test_titles_are_searched(seeds):
    project, ids = seeds
    assert found(project, "Godišnji izvještaj NATO-a") == seed_ids(ids, "003")


@pytest.mark.parametrize("query", ['"', '""', 'Geoana"', '"Geoana"', 'a"b', "NEAR(a b)", "x* OR y", "-", "^ab"])
def test_query_syntax_is_never_interpreted(seeds, query):
    project, _ids = seeds
    assert found(project, query) == brute_force(project, query)


def test_query_strings_are_fts5_literals():
    assert search.fts_string('say "hi"') == '"say ""hi"""'
    # Trigrams in order, each once: a"b, "bc, bca, ca" (then a"b again).
    assert search.trigram_query('a"bca"b') == '"a""b" """bc" "bca" "ca"""'
    assert search.trigram_query("ab") == ""
    assert len(search.trigram_query("x" * 10 + "".join(map(chr, range(0x430, 0x450)))).split()) == search.MAX_TRIGRAMS


def test_a_long_query_is_narrowed_by_some_trigrams_and_checked_whole(seeds):
    project, ids = seeds
    with project.read() as conn:
        text = document_text(conn, ids["002"])
    sentence = text[100:400]
    assert found(project, sentence) == [ids["002"]]
    assert found(project, sentence + "!?") == brute_force(project, sentence + "!?")


@pytest.mark.parametrize("query", ["ky", "KÝ", "রা", "ij", "é", "14"])
def test_short_queries_scan_the_folded_text(seeds, query):
    project, _ids = seeds
    result = found(project, query)
    assert result == brute_force(project, query)
    assert result  # each of these occurs somewhere in the seeds


def test_empty_query_matches_everything_and_nothing_matches_nothing(seeds):
    project, ids = seeds
    assert found(project, "  ") == sorted(ids.values())
    assert found(project, "zzzqqq") == []
    assert found(project, "zq") == []


def test_random_substrings_agree_with_brute_force(seeds):
    project, _ids = seeds
    rng = random.Random(7)
    with project.read() as conn:
        texts = [document_text(conn, r.id) for r in list_documents(conn)]
    for _ in range(150):
        t = rng.choice(texts)
        start = rng.randrange(len(t) - 20)
        query = t[start : start + rng.randint(1, 20)]
        assert found(project, query) == brute_force(project, query), query


@pytest.mark.parametrize("query", ["Geoana", "NATO", "the", "e", "zzzqqq", "zq", "রাস্তার"])
def test_first_hits_are_the_first_of_the_answer_and_say_whether_it_is_whole(seeds, query):
    project, ids = seeds
    everything = found(project, query)
    with project.read() as conn:
        for limit in (1, 2, 100):
            for candidates in (1, 2, 3, 100):
                hits, whole = first_hits(conn, query, limit, candidates)
                assert hits == everything[: len(hits)], (limit, candidates)
                if whole:  # nothing more to read
                    assert hits == everything, (limit, candidates)
                elif conn.dialect.name != "sqlite":  # the server's index answers the first hits at once
                    assert len(hits) == limit


def test_first_hits_test_no_more_candidates_than_asked(tmp_path):
    """Words common in the corpus that never stand together: most documents are candidates
    and none a hit. The first hits look at the first candidates only and say the answer
    is not whole; the full search still answers "nothing"."""
    with Project.create(tmp_path / "p.annotator") as project:
        seed(project)
        with project.read() as conn:
            assert len(search.candidate_documents(conn, "te na")) >= 4 and search_documents(conn, "te na") == []
            assert first_hits(conn, "te na", 10, candidates=2) == ([], False)  # the worker reads the rest
            assert first_hits(conn, "te na", 10, candidates=100) == ([], True)


def test_without_the_index_search_folds_on_the_fly(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        seed(project)
        with project.write() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS document_search")
            assert not search.has_search_index(conn)
            index_documents(conn, [1, 2])  # nothing to keep in sync: no error
        with project.read() as conn:
            ids = {r.uid[:3]: r.id for r in list_documents(conn)}
        assert found(project, "geoană") == seed_ids(ids, "001", "002", "004")
        assert found(project, "রাস্তার") == seed_ids(ids, "000")
        assert found(project, "ky") == brute_force(project, "ky")


def test_index_documents_is_idempotent_and_unindex_forgets(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        with project.write() as conn:
            ensure_search_index(conn)
        seed(project)
        with project.write() as conn:
            all_ids = [r.id for r in list_documents(conn)]
            index_documents(conn, all_ids)
            index_documents(conn, all_ids)
            assert conn.exec_driver_sql("SELECT count(*) FROM document_search").scalar() == 5
            geoana = search_documents(conn, "geoana")
            search.unindex_documents(conn, geoana[:1])
            assert search_documents(conn, "geoana") == geoana[1:]
            search.reindex_all(conn)
            assert search_documents(conn, "geoana") == geoana


def test_new_project_and_import_keep_the_index_in_sync(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        seed(project)
        with project.read() as conn:
            assert search.has_search_index(conn)
            assert conn.exec_driver_sql("SELECT count(*) FROM document_search").scalar() == 5
        with project.write() as conn:
            assert not ensure_search_index(conn)


def sql_of_search_tables(engine):
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master WHERE name LIKE 'document_search%' "
                                    "ORDER BY name").all()


def test_migration_and_ensure_create_the_same_table(tmp_path):
    fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    with fresh.begin() as conn:
        Base.metadata.create_all(conn)
        assert ensure_search_index(conn)
        assert not ensure_search_index(conn)
    upgraded = create_engine(f"sqlite:///{tmp_path / 'upgraded.db'}")
    with upgraded.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "head")
    assert len(sql_of_search_tables(fresh)) == 5  # the table and its shadow tables (no docsize: columnsize=0)
    assert sql_of_search_tables(fresh) == sql_of_search_tables(upgraded)
    assert all(search.is_search_table(name) for _t, name, _s in sql_of_search_tables(fresh))


def test_folded_rows_in_utf8_are_stored_as_the_same_text(tmp_path):
    """An import binds DocumentRecord.folded (UTF-8 bytes) as it came: the index must hold
    text, equal to what folding the document there gives, and find it."""
    title, body = "Tổng thư ký", "Mircea Geoană gặp রাস্তার বাধা"
    with Project.create(tmp_path / "p.annotator") as project:
        with project.write() as conn:
            conn.execute(text("INSERT INTO documents (uid, title, lang, text, length, checksum) VALUES "
                              "('a', :t, 'vi', :b, :n, 'c1')"), {"t": title, "b": body, "n": len(body)})
            index_documents(conn, [1], new=True, folded=[(1, fold(title).encode(), fold(body).encode())])
        with project.read() as conn:
            stored = conn.exec_driver_sql("SELECT typeof(title), typeof(body), title, body FROM document_search").all()
            assert stored == [("text", "text", fold(title), fold(body))]
            for query in ("tong thu", "GEOANA", "রাস্তার", "ky"):
                assert search_documents(conn, query) == [1], query


def test_upgrade_from_0001_indexes_existing_documents_and_downgrade_drops_it(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO documents (uid, title, lang, text, length, checksum) VALUES "
                          "('a', 'Tổng', 'vi', 'Mircea Geoană gặp', 17, 'c1'), ('b', NULL, 'bn', 'রাস্তার বাধা', 12, 'c2')"))
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "head")
        assert search.has_search_index(conn)
        assert search_documents(conn, "geoana") == [1]
        assert search_documents(conn, "tong") == [1]
        assert search_documents(conn, "রাস্তার") == [2]
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0001")
    assert sql_of_search_tables(engine) == []
