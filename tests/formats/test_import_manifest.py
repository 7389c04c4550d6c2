"""Issue 19 item 5: a manifest or a folder cannot pull in files from outside the folder;
a manifest naming a missing file or a folder is one clear line."""

import json

import pytest

from annotator.core.errors import InputError
from annotator.importer import import_paths
from tests.conftest import dump


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "ok.txt").write_text("A good document inside the folder.")
    (tmp_path / "outside.txt").write_text("A private file outside the imported folder.")
    return folder


def manifest(folder, *files) -> None:
    (folder / "manifest.json").write_text(json.dumps(
        {"documents": [{"file": "ok.txt", "id": "ok", "lang": "en"}] + [{"file": f, "lang": "en"} for f in files]}))


def refused(project, folder) -> str:
    before = dump(project.path)
    with pytest.raises(InputError) as err:
        import_paths(project, [folder])
    assert dump(project.path) == before
    return str(err.value)


@pytest.mark.parametrize("entry", ["../outside.txt", "/etc/os-release", "sub/../../outside.txt"])
def test_manifest_entries_outside_the_folder_are_refused(empty_project, folder, entry):
    manifest(folder, entry)
    message = refused(empty_project, folder)
    assert message.startswith(f"{folder / 'manifest.json'}: $.documents[1].file: {entry!r} is outside the folder")


def test_a_manifest_entry_that_is_a_link_out_of_the_folder_is_refused(empty_project, folder):
    (folder / "inner.txt").symlink_to(folder.parent / "outside.txt")
    manifest(folder, "inner.txt")
    message = refused(empty_project, folder)
    assert message.startswith(f"{folder / 'manifest.json'}: $.documents[1].file: 'inner.txt' leads outside the folder")


@pytest.mark.parametrize("entry,reason", [("missing.txt", "'missing.txt': no such file in"),
                                          ("sub", "'sub' is a folder, not a text file")])
def test_a_manifest_naming_a_missing_file_or_a_folder_is_one_line(empty_project, folder, entry, reason):
    (folder / "sub").mkdir()
    manifest(folder, entry)
    message = refused(empty_project, folder)
    assert message.startswith(f"{folder / 'manifest.json'}: $.documents[1].file: {reason}")


def test_a_folder_txt_link_that_leads_outside_is_refused(empty_project, folder):
    (folder / "inner.txt").symlink_to(folder.parent / "outside.txt")
    message = refused(empty_project, folder)
    assert message.startswith(f"{folder / 'inner.txt'}: a link to {(folder.parent / 'outside.txt').resolve()}, "
                              "outside the imported folder")


def test_links_inside_the_folder_are_fine(empty_project, folder):
    (folder / "again.txt").symlink_to(folder / "ok.txt")
    report = import_paths(empty_project, [folder])
    assert report.added == ["again"] and report.duplicates == [(str(folder / "ok.txt"), "again")]


# -- issue 19 item 13: a manifest entry gets the checks of a JSONL record, each bad value one line --

def entries(folder, *docs) -> None:
    (folder / "manifest.json").write_text(json.dumps({"documents": list(docs)}))


@pytest.mark.parametrize("entry,place,reason", [
    ({"file": "ok.txt\u0000"}, "$.documents[0].file", "expected a file name"),
    ({"file": 5}, "$.documents[0].file", "expected a file name"),
    ({"file": "ok.txt", "lang": 5, "id": 7}, "$.documents[0].lang", "expected a string"),
    ({"file": "ok.txt", "id": 7}, "$.documents[0].id", "expected a string"),
    ({"file": "ok.txt", "title": ["x"]}, "$.documents[0].title", "expected a string"),
    ({"file": "ok.txt", "group": {"g": 1}}, "$.documents[0].group", "expected a string"),
    ("ok.txt", "$.documents[0]", "expected an object"),
    ({"file": "loop"}, "$.documents[0].file", "'loop': cannot follow it"),
])
def test_a_manifest_entry_of_the_wrong_type_is_one_line_naming_its_json_path(empty_project, folder, entry, place,
                                                                            reason):
    (folder / "loop").symlink_to(folder / "loop")
    entries(folder, entry)
    message = refused(empty_project, folder)
    assert message.startswith(f"{folder / 'manifest.json'}: {place}: {reason}"), message
    assert "\n" not in message


def test_a_manifest_entry_gets_the_record_checks_of_jsonl_import(empty_project, folder):
    entries(folder, {"file": "ok.txt", "lang": "en"}, {"file": "ok.txt", "lang": "<b>not a tag</b>", "id": "x"})
    message = refused(empty_project, folder)
    assert message.startswith(f"{folder / 'manifest.json'}: $.documents[1].lang: '<b>not a tag</b>' is not a "
                              "language tag")


def test_the_export_of_a_manifest_import_validates_and_imports_again(empty_project, folder, tmp_path):
    from annotator.formats.gold_checks import check_file
    from annotator.formats.gold_jsonl import write
    from annotator.store.records_out import iter_records

    entries(folder, {"file": "ok.txt", "lang": "sr-Latn", "id": "d1", "title": None, "group": "g"})
    import_paths(empty_project, [folder])
    with empty_project.read() as conn:
        out = tmp_path / "gold.jsonl"
        with out.open("wb") as fh:
            write(iter_records(conn), fh)
    checked = check_file(out.read_bytes())
    assert checked.errors == [] and [rec.id for _, rec in checked.records] == ["d1"]
