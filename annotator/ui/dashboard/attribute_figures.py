"""The dashboard's attribute figure (issue 14): how many items take each value of each
attribute (realis, stance, topic...), in all layers or the chosen one; bars grouped by
attribute, each attribute in its own colour, in the schema's order."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QFontMetrics

from annotator.store import statistics as st
from annotator.ui.dashboard.figures import SERIES
from annotator.ui.dashboard.panels import add_bars, add_value_texts, integer_ticks
from annotator.ui.widgets.plain import tooltip


def _thinned(ticks: list[tuple[float, str]], metrics: QFontMetrics, px_per_unit: float) -> list[tuple[float, str]]:
    """The ticks whose names fit after the one kept before them (6 px apart), left to right."""
    kept: list[tuple[float, str]] = []
    right = float("-inf")
    for x, name in ticks:
        half = metrics.horizontalAdvance(name) / 2
        if x * px_per_unit - half >= right + 12:
            kept.append((x, name))
            right = x * px_per_unit + half
    return kept


class AttributeFigures:
    """Part of the Dashboard: draws on its attributes_panel, keeping the bars drawn per
    attribute (attribute_bars) and the (attribute, value) of each bar (attribute_slots)."""

    def draw_attributes(self, counts: st.AttributeCounts) -> None:
        panel, plot = self.attributes_panel, self.attributes_panel.plot
        plot.clear()
        self.attribute_bars = {}
        self.attribute_slots = []
        order = [a for a in self.attribute_order if a in counts.values]
        order += [a for a in counts.values if a not in order]
        if not order:
            who = self._chosen_layer()
            panel.show_message("No attribute values yet" + (f" in {who}'s layer" if who else ""))
            return
        panel.set_legend([(SERIES[k % len(SERIES)], name) for k, name in enumerate(order)])
        x, ticks, groups, xs_all, tops, texts = 0.0, [], [], [], [], []
        for k, name in enumerate(order):
            values = counts.values[name]
            xs = x + np.arange(len(values), dtype=float)
            heights = np.array([n for _v, n in values], dtype=float)
            self.attribute_bars[name] = add_bars(plot, name, SERIES[k % len(SERIES)], x=xs, height=heights,
                                                 width=0.8)
            self.attribute_slots += [(name, v) for v, _n in values]
            ticks += [(float(px), v) for px, (v, _n) in zip(xs, values)]
            groups.append((float(xs.mean()), name))
            xs_all += list(xs)
            tops += list(heights)
            texts += [f"{int(h):,}" for h in heights]
            x += len(values) + 1  # a gap between attributes
        add_value_texts(plot, xs_all, tops, texts, 0.8, x)
        item = plot.getPlotItem()
        # Each value under its bar when the names fit their slots; else each attribute under
        # its group (the values are in the hover), so that no two names run into each other.
        axis = item.getAxis("bottom")
        metrics = QFontMetrics(axis.style.get("tickFont") or axis.font())  # the font the axis draws with
        self.attribute_px_per_unit = max(100, plot.width() - 70) / max(x - 1, 1)  # 70 px: axis and margins
        fits = max(metrics.horizontalAdvance(v) for _x, v in ticks) + 12 <= self.attribute_px_per_unit
        self.attribute_ticks = ticks if fits else _thinned(groups, metrics, self.attribute_px_per_unit)
        axis.setTicks([self.attribute_ticks])
        self._attribute_x = [px for px, _v in ticks]
        top = max(tops)
        integer_ticks(item.getAxis("left"), max(top, 1))
        item.showGrid(y=True, alpha=0.15)
        item.setXRange(-0.6, x - 1.4, padding=0)
        item.setYRange(0, max(top, 1) * 1.2, padding=0)
        who = self._chosen_layer()
        panel.show_plot(f"{sum(counts.total(a) for a in order):,} values of {len(order)} attributes"
                        + (f", {who}'s layer" if who else ", all annotators' layers"))

    def _attributes_hover(self, pos) -> None:
        """The value and count of the bar under the mouse."""
        plot = self.attributes_panel.plot
        x = plot.getPlotItem().vb.mapSceneToView(pos).x()
        near = [i for i, px in enumerate(getattr(self, "_attribute_x", [])) if abs(px - x) <= 0.4]
        if not near:
            plot.setToolTip("")
            return
        name, value = self.attribute_slots[near[0]]
        count = self.attribute_bars[name].opts["height"][[v for a, v in self.attribute_slots if a == name].index(value)]
        plot.setToolTip(tooltip(f"{name} = {value}: {int(count):,} item{'s' if count != 1 else ''}"))
