#!/bin/sh
# One screenshot of the real app (X11/xcb, under a private Xvfb) per seed document, written
# to screenshots/seed-<id>.png. Uses a scratch user data directory, so the default project
# is created from the seeds and the user's own data is never touched.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
command -v Xvfb >/dev/null 2>&1 || { echo "screenshots.sh: Xvfb is missing: sudo apt-get install -y xvfb" >&2; exit 1; }

scratch=$(mktemp -d)
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM

# -displayfd: Xvfb picks a free display number and writes it once it accepts connections.
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$scratch/display" 2>"$scratch/xvfb.log" &
xvfb_pid=$!
tries=0
until [ -s "$scratch/display" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ] || ! kill -0 "$xvfb_pid" 2>/dev/null; then
    echo "screenshots.sh: Xvfb did not start:" >&2; cat "$scratch/xvfb.log" >&2; exit 1
  fi
  sleep 0.1
done

mkdir -p "$scratch/data" "$scratch/data-files" "$scratch/data-corpus" screenshots
DISPLAY=":$(cat "$scratch/display")" QT_QPA_PLATFORM=xcb ANNOTATOR_DATA_DIR="$scratch/data" \
  "$PYTHON" scripts/screenshot.py --out screenshots "$@"
# The File menu's dialogs and the label picker with 70 labels (screenshot_files.py).
DISPLAY=":$(cat "$scratch/display")" QT_QPA_PLATFORM=xcb ANNOTATOR_DATA_DIR="$scratch/data-files" \
  "$PYTHON" scripts/screenshot_files.py --out screenshots
# The annotation list across the corpus: the seeds' DATE spans, then those without a value.
DISPLAY=":$(cat "$scratch/display")" QT_QPA_PLATFORM=xcb ANNOTATOR_DATA_DIR="$scratch/data-corpus" \
  "$PYTHON" scripts/screenshot_corpus_list.py --out screenshots
# Attributes, document labels and discontinuous spans, in English and Bengali (screenshot_depth.py).
mkdir -p "$scratch/data-depth"
DISPLAY=":$(cat "$scratch/display")" QT_QPA_PLATFORM=xcb ANNOTATOR_DATA_DIR="$scratch/data-depth" \
  "$PYTHON" scripts/screenshot_depth.py --out screenshots
# Spans painted at draw time (issue 18): Bengali three deep, light and dark; the 1 MB document.
mkdir -p "$scratch/data-spans"
DISPLAY=":$(cat "$scratch/display")" QT_QPA_PLATFORM=xcb ANNOTATOR_DATA_DIR="$scratch/data-spans" \
  "$PYTHON" scripts/screenshot_spans.py --out screenshots
# Relations, entity clusters and knowledge-base ids, English and Bengali (screenshot_relations.py).
mkdir -p "$scratch/data-relations"
DISPLAY=":$(cat "$scratch/display")" QT_QPA_PLATFORM=xcb ANNOTATOR_DATA_DIR="$scratch/data-relations" \
  "$PYTHON" scripts/screenshot_relations.py --out screenshots
# Ghost spans (issue 15): Bengali and English, a tooltip, the navigator least sure first.
mkdir -p "$scratch/data-suggest" docs/screenshots
DISPLAY=":$(cat "$scratch/display")" QT_QPA_PLATFORM=xcb ANNOTATOR_DATA_DIR="$scratch/data-suggest" \
  "$PYTHON" scripts/screenshot_suggestions.py --out docs/screenshots
