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
