"""Relations drawn over the text: an arrow from one span to the other, arching through the
room above the lines (tag_room), with the relation's type on a badge at its top, so that
both ends and the type can be seen at once. The view paints these after the text and the
boxes; each end is boxed by the caller (a Box layer) so it stands out where the arrow
starts and ends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF

from annotator.ui.document.tag_room import tag_font


@dataclass(frozen=True)
class Arc:
    from_range: tuple[int, int]  # widget positions of the source span
    to_range: tuple[int, int]  # and of the target span
    colour: str
    tag: str  # the relation's type


def paint_arcs(painter: QPainter, arcs: list[Arc], rects_of: Callable[[int, int], list[QRectF]],
               room: float, placed: list[tuple[QRectF, str]]) -> None:
    """Each arc from the top of its source's first line box to the top of its target's,
    its apex `room` pixels above the higher end; the type's badge moves right past the
    badges and tags already `placed` (and is added to them)."""
    painter.setFont(tag_font())
    metrics = painter.fontMetrics()
    for arc in arcs:
        a, b = rects_of(*arc.from_range), rects_of(*arc.to_range)
        if not a or not b:  # an end is off screen
            continue
        p = QPointF(a[0].center().x(), a[0].top())
        q = QPointF(b[0].center().x(), b[0].top())
        apex_y = min(p.y(), q.y()) - room * 0.9
        control = QPointF((p.x() + q.x()) / 2, apex_y - room * 0.5)
        path = QPainterPath(p)
        path.quadTo(control, q)
        pen = QPen(QColor(arc.colour), 2)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        _arrow_head(painter, path, QColor(arc.colour))
        mid = path.pointAtPercent(0.5)
        w, h = metrics.horizontalAdvance(arc.tag) + 8, metrics.height() + 2
        badge = QRectF(mid.x() - w / 2, mid.y() - h / 2, w, h)
        for other, _text in placed:
            if other.intersects(badge):
                badge.moveLeft(other.right() + 2)
        painter.fillRect(badge, QColor(arc.colour))
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, arc.tag)
        placed.append((badge, arc.tag))


def _arrow_head(painter: QPainter, path: QPainterPath, colour: QColor) -> None:
    tip = path.pointAtPercent(1.0)
    back = path.pointAtPercent(0.93)
    dx, dy = tip.x() - back.x(), tip.y() - back.y()
    length = max((dx * dx + dy * dy) ** 0.5, 1e-6)
    ux, uy = dx / length, dy / length
    size = 7.0
    left = QPointF(tip.x() - ux * size - uy * size * 0.6, tip.y() - uy * size + ux * size * 0.6)
    right = QPointF(tip.x() - ux * size + uy * size * 0.6, tip.y() - uy * size - ux * size * 0.6)
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawPolygon(QPolygonF([tip, left, right]))
    painter.setBrush(Qt.BrushStyle.NoBrush)
