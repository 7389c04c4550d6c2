"""The dashboard's span figures: spans per language and label, spans per hour, agreement
per label and the disagreements inside translation groups. Label colours are the project
schema's.
"""

from __future__ import annotations

import heapq
from datetime import datetime, timezone

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from annotator.store import statistics as st
from annotator.ui.dashboard.panels import MAX_VALUE_TEXTS, add_bars, add_texts, add_value_texts, integer_ticks, pg
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import tooltip

KIND_COLOURS = {"value": "#d62728", "unlinked": "#9467bd", "count": "#8c564b"}
SERIES = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
OTHER = "#9e9e9e"
MAX_GROUPS = 8  # group layers shown, the most disagreeing first


def hour_epoch(hour: datetime) -> float:
    return hour.replace(tzinfo=timezone.utc).timestamp()


class SpanFigures:
    """Part of the Dashboard: draws the span figures on its labels_panel, throughput_panel,
    agreement_panel and groups_panel, keeping the bars drawn (label_bars, ...) and what
    they stand for (label_languages, ...)."""

    def _colour(self, label: str) -> str:
        return self.schema_colours.get(label, OTHER)

    def draw_labels(self, counts: st.LabelCounts) -> None:
        panel, plot = self.labels_panel, self.labels_panel.plot
        plot.clear()
        self.label_bars = {}
        langs = [lang for lang in self.languages if lang in counts.languages]
        langs += [lang for lang in counts.languages if lang not in langs]
        labels = [lab for lab in self.label_order if lab in counts.labels]
        labels += [lab for lab in counts.labels if lab not in labels]
        self.label_languages = langs
        if not langs:
            panel.show_message("No documents yet")
            return
        if not labels:
            panel.show_message("No spans yet" + (f" in {self._chosen_layer()}'s layer" if self._chosen_layer() else ""))
            return
        panel.set_legend([(self._colour(lab), lab) for lab in labels])
        width = 0.8 / len(labels)
        xs_all, tops, texts = [], [], []
        for j, label in enumerate(labels):
            xs = np.arange(len(langs)) + (j - (len(labels) - 1) / 2) * width
            heights = np.array([counts.count(lang, label) for lang in langs], dtype=float)
            self.label_bars[label] = add_bars(plot, label, self._colour(label), x=xs, height=heights, width=width * 0.92)
            xs_all += list(xs)
            tops += list(heights)
            texts += [f"{int(h):,}" for h in heights]
        add_value_texts(plot, xs_all, tops, texts, width, len(langs) + 0.2)
        item = plot.getPlotItem()
        item.getAxis("bottom").setTicks([[(i, lang) for i, lang in enumerate(langs)]])
        top = max(tops) if tops else 1
        integer_ticks(item.getAxis("left"), max(top, 1))
        item.showGrid(y=True, alpha=0.15)
        item.setXRange(-0.6, len(langs) - 0.4, padding=0)
        item.setYRange(0, max(top, 1) * 1.2, padding=0)  # room for the numbers
        total = sum(counts.counts.values())
        who = self._chosen_layer()
        panel.show_plot(f"{total:,} spans in {len(langs)} languages"
                        + (f", {who}'s layer" if who else ", all annotators' layers"))

    def draw_throughput(self, tp: st.Throughput) -> None:
        panel, plot = self.throughput_panel, self.throughput_panel.plot
        plot.clear()
        self.throughput_bars = {}
        if not tp.hours:
            panel.show_message("No spans yet")
            return
        panel.set_legend([(SERIES[k % len(SERIES)], n) for k, n in enumerate(tp.annotators)])
        xs = np.array([hour_epoch(h) + 1800 for h in tp.hours])
        bottom = np.zeros(len(xs))
        for k, name in enumerate(tp.annotators):
            heights = np.array(tp.counts[name], dtype=float)
            self.throughput_bars[name] = add_bars(plot, name, SERIES[k % len(SERIES)], x=xs, y0=bottom.copy(),
                                                  height=heights, width=3600 * 0.85)
            bottom += heights
        item = plot.getPlotItem()
        integer_ticks(item.getAxis("left"), max(1.0, bottom.max()))
        item.showGrid(y=True, alpha=0.15)
        item.setXRange(xs[0] - 3600, xs[-1] + 3600, padding=0)
        item.setYRange(0, max(1.0, bottom.max()) * 1.1, padding=0)
        busiest = int(bottom.argmax())
        panel.show_plot(f"{tp.total():,} spans over {len(tp.hours):,} hours "
                        f"({tp.hours[0]:%Y-%m-%d %H:00} to {tp.hours[-1]:%Y-%m-%d %H:00} UTC); busiest hour "
                        f"{tp.hours[busiest]:%Y-%m-%d %H:00} with {int(bottom[busiest]):,} spans"
                        + (" (only the last year shown)" if tp.truncated else ""))

    def draw_agreement(self, ag: st.AgreementStats) -> None:
        panel, plot = self.agreement_panel, self.agreement_panel.plot
        plot.clear()
        self.agreement_bars = {}
        self.agreement_labels = []
        if not ag.available:
            panel.show_message(f"{ag.reason}.\n\nThe exact and overlap F1 of each label appear here as soon "
                               "as a second annotator has worked on a document that another one has (the "
                               "gold layer does not count).")
            return
        report = ag.report
        labels = [lab for lab in self.label_order if lab in report.per_label]
        labels += [lab for lab in report.per_label if lab not in labels]
        self.agreement_labels = labels
        if not labels:
            panel.show_message(f"{' and '.join(ag.annotators)} share {ag.documents:,} documents "
                               "but neither has spans there yet")
            return
        panel.set_legend([("#777", "exact"), ("#777", "overlap", "▨")])
        xs = np.arange(len(labels), dtype=float)
        exact = np.array([report.per_label[lab].exact_f1 for lab in labels])
        overlap = np.array([report.per_label[lab].overlap_f1 for lab in labels])
        colours = [pg.mkBrush(self._colour(lab)) for lab in labels]
        hatched = [QBrush(QColor(self._colour(lab)).darker(140), Qt.BrushStyle.BDiagPattern) for lab in labels]
        self.agreement_bars["exact"] = add_bars(plot, None, OTHER, x=xs - 0.2, height=exact, width=0.38,
                                                brushes=colours, brush=None)
        self.agreement_bars["overlap"] = add_bars(plot, None, OTHER, x=xs + 0.2, height=overlap, width=0.38,
                                                  brushes=hatched, brush=None)
        add_value_texts(plot, list(xs - 0.2) + list(xs + 0.2), list(exact) + list(overlap),
                        [f"{v:.2f}" for v in exact] + [f"{v:.2f}" for v in overlap], 0.4, len(labels) + 0.2)
        item = plot.getPlotItem()
        item.getAxis("bottom").setTicks([[(i, f"{lab} ({report.per_label[lab].support:,})")
                                          for i, lab in enumerate(labels)]])
        item.getAxis("left").setTicks([[(v / 4, f"{v / 4:.2f}") for v in range(5)]])
        item.showGrid(y=True, alpha=0.15)
        item.setXRange(-0.6, len(labels) - 0.4, padding=0)
        item.setYRange(0, 1.15, padding=0)
        kappa = "" if report.token_kappa is None else f" · token κ {report.token_kappa:.2f}"
        alpha = "" if report.token_alpha is None else f", α {report.token_alpha:.2f}"
        panel.show_plot(f"{' vs '.join(ag.annotators)} on {ag.documents:,} shared document"
                        f"{'s' if ag.documents != 1 else ''} · overall exact "
                        f"{report.overall.exact_f1:.2f}, overlap {report.overall.overlap_f1:.2f}{kappa}{alpha} "
                        "· (n) spans per label")

    def draw_groups(self, groups: st.GroupTable) -> None:
        """A horizontal bar per group and annotator layer, split by kind of disagreement;
        read from the table's columns, a row made only for the layers shown."""
        panel, plot = self.groups_panel, self.groups_panel.plot
        plot.clear()
        self.group_bars = {}
        self.group_names = []
        self._group_rows = []
        if not len(groups):
            panel.show_message("No translation group has an annotated document yet")
            return
        n_groups = len(set(groups.groups))
        totals = groups.totals()
        order = heapq.nsmallest(MAX_GROUPS, range(len(groups)), key=lambda i: (
            -totals[i], groups.groups[i], groups.annotators[groups.annotator[i]]))
        shown = [groups[i] for i in order]
        self.group_names = [f"{g.group} · {g.annotator}" for g in shown]
        used = {k for k, n in groups.kind_totals().items() if n}
        kinds = [k for k in KIND_COLOURS if k in used] + sorted(used - set(KIND_COLOURS))
        if not kinds:
            panel.show_message(f"No disagreements in {n_groups:,} translation group{'s' if n_groups != 1 else ''}")
            return
        extra = iter(SERIES[4:])
        colours = {kind: KIND_COLOURS.get(kind) or next(extra, OTHER) for kind in kinds}
        panel.set_legend([(colours[k], k) for k in kinds])
        ys = np.arange(len(shown), dtype=float)
        left = np.zeros(len(shown))
        for kind in kinds:
            widths = np.array([g.counts.get(kind, 0) for g in shown], dtype=float)
            self.group_bars[kind] = add_bars(plot, kind, colours[kind], x0=left.copy(), y=ys, width=widths, height=0.6)
            left += widths
        if len(shown) <= MAX_VALUE_TEXTS:  # the counts at the end of each bar
            add_texts(plot, [(float(g.total), float(y), f" {g.total:,}") for y, g in zip(ys, shown)],
                      fonts.with_fallbacks(QFont(), 8), (0, 0.5))
        item = plot.getPlotItem()
        item.getAxis("left").setTicks([[(float(i), name) for i, name in enumerate(self.group_names)]])
        integer_ticks(item.getAxis("bottom"), max(1.0, left.max()), most=5)
        item.invertY(True)
        item.setYRange(-0.6, len(shown) - 0.4, padding=0)
        item.setXRange(0, max(1.0, left.max()) * 1.2, padding=0)  # room for the totals
        self._group_rows = shown
        total, rows = sum(totals), groups
        more = f"; the {MAX_GROUPS} layers with most shown" if len(rows) > MAX_GROUPS else ""
        panel.show_plot(f"{total:,} disagreements in {n_groups:,} group{'s' if n_groups != 1 else ''} "
                        f"({len(rows):,} annotator layer{'s' if len(rows) != 1 else ''}{more}): value = linked spans whose normalised values "
                        "differ, unlinked = a span with no link into another document of its group, count = "
                        "label counts differ in aligned sentences")

    def _groups_hover(self, pos) -> None:
        plot = self.groups_panel.plot
        rows = self._group_rows
        i = round(plot.getPlotItem().vb.mapSceneToView(pos).y())
        if not rows or not 0 <= i < len(rows):
            plot.setToolTip("")
            return
        g = rows[i]
        plot.setToolTip(tooltip(f"{g.group}, {g.annotator}'s layer ({g.documents} documents):\n"
                                + "\n".join(f"{n:,} {kind}" for kind, n in sorted(g.counts.items()))))
