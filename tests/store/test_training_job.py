"""The training process's work (store/training_job.py)."""

import os

from annotator.suggest.base import Example
from annotator.suggest.training import Suggester
from annotator.suggest.worker_process import WorkerProcess

EXAMPLES = {"en": [Example("NATO met in Brussels. NATO said no.", "en", ((0, 4, "ORG"), (12, 20, "LOC"))),
                   Example("Delegates of NATO and the EU.", "en", ((13, 17, "ORG"), (26, 28, "ORG")),
                           ((26, 28, "ORG"),))]}


def _children() -> set[int]:
    found: set[int] = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children", encoding="ascii") as f:
            found.update(int(p) for p in f.read().split())
    return found


def matchers_beside_an_update(examples):  # in the training process
    from annotator.store.training_job import _matchers_beside

    with _matchers_beside(examples) as matchers:
        copies = _children()  # the CRF's update would run here
    return copies, [(m.name, m.surfaces("en")) for m in matchers()]


def test_the_training_process_trains_the_matchers_in_a_copy_beside_the_crfs_update():
    """After a commit the CRF is updated and the string matchers retrained: in the training
    process they run side by side (a forked copy trains the matchers), and the matchers
    are those a training in one process makes."""
    process = WorkerProcess("the training process")
    try:
        copies, got = process.run(matchers_beside_an_update, EXAMPLES)
    finally:
        process.close()
    assert len(copies) == 1
    assert got == [(m.name, m.surfaces("en")) for m in Suggester.matchers(EXAMPLES)]
    assert {label for label, _score in got[0][1].values()} == {"ORG", "LOC"}


def test_elsewhere_the_matchers_are_trained_in_process():
    copies, got = matchers_beside_an_update(EXAMPLES)  # the test's process: other threads may run
    assert copies == _children() and got == [(m.name, m.surfaces("en")) for m in Suggester.matchers(EXAMPLES)]
