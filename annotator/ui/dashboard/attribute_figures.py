"""The dashboard's attribute figure (issue 14): how many items take each value of each
attribute (realis, stance, topic...), in all layers or the chosen one; bars grouped by
attribute, each attribute in its own colour, in the schema's order."""

from __future__ import annotations

import numpy as np

from annotator.store import statistics as st
from annotator.ui.dashboard.figures import SERIES
from annotator.ui.dashboard.panels import add_bars, add_value_texts, integer_ticks


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
        x, ticks, xs_all, tops, texts = 0.0, [], [], [], []
        for k, name in enumerate(order):
            values = counts.values[name]
            xs = x + np.arange(len(values), dtype=float)
            heights = np.array([n for _v, n in values], dtype=float)
            self.attribute_bars[name] = add_bars(plot, name, SERIES[k % len(SERIES)], x=xs, height=heights,
                                                 width=0.8)
            self.attribute_slots += [(name, v) for v, _n in values]
            ticks += [(float(px), v) for px, (v, _n) in zip(xs, values)]
            xs_all += list(xs)
            tops += list(heights)
            texts += [f"{int(h):,}" for h in heights]
            x += len(values) + 1  # a gap between attributes
        add_value_texts(plot, xs_all, tops, texts, 0.8, x)
        item = plot.getPlotItem()
        item.getAxis("bottom").setTicks([ticks])
        top = max(tops)
        integer_ticks(item.getAxis("left"), max(top, 1))
        item.showGrid(y=True, alpha=0.15)
        item.setXRange(-0.6, x - 1.4, padding=0)
        item.setYRange(0, max(top, 1) * 1.2, padding=0)
        who = self._chosen_layer()
        panel.show_plot(f"{sum(counts.total(a) for a in order):,} values of {len(order)} attributes"
                        + (f", {who}'s layer" if who else ", all annotators' layers"))
