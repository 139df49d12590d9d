"""``{% ladder_diagram ladder %}``: a track's ladder as a server-rendered SVG.

One row per level, highest at the top; roles are boxes linking to their pages and
transitions are arrows. The layout is plain arithmetic on fixed-size boxes, so the
page needs no JavaScript and the same SVG scales through its viewBox.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from django import template

from skills.models import Role
from skills.queries import Ladder

register = template.Library()

NODE_W = 200
NODE_H = 72
COL_GAP = 48
ROW_GAP = 96  # room between rows for the arrows to bend
LABEL_W = 72  # the "Level n" column on the left
PAD = 16
TITLE_CHARS = 22  # what fits on one line of a box at 14px
SWEEPS = 4  # barycentre passes to untangle the arrows; more rarely helps


@dataclass
class Node:
    role: Role
    x: float = 0
    y: float = 0
    lines: list[str] = field(default_factory=list)
    ports: dict[str, list[tuple[float, int]]] = field(default_factory=dict)

    @property
    def cx(self) -> float:
        return self.x + NODE_W / 2

    def title_y(self, index: int) -> float:
        """Baseline of title line ``index``: centred, or above the entry-point badge."""
        block = 18 * len(self.lines)
        top = self.y + (NODE_H - block - (22 if self.role.is_entry_point else 0)) / 2
        return top + 14 + 18 * index


def _wrap(title: str) -> list[str]:
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), TITLE_CHARS, placeholder="…")]
    return lines


def _order_rows(rows: list[list[Node]], neighbours: dict[int, set[int]]) -> None:
    """Reorder each row by the mean position of its neighbours (barycentre heuristic)."""

    def centre(row: list[Node], i: int) -> float:
        return i - (len(row) - 1) / 2

    position = {node.role.pk: centre(row, i) for row in rows for i, node in enumerate(row)}
    for sweep in range(SWEEPS):
        for row in reversed(rows) if sweep % 2 == 0 else rows:

            def key(node: Node) -> tuple[float, str]:
                linked = [position[pk] for pk in neighbours.get(node.role.pk, ()) if pk in position]
                mean = sum(linked) / len(linked) if linked else position[node.role.pk]
                return (mean, node.role.title)

            row.sort(key=key)
            position.update({node.role.pk: centre(row, i) for i, node in enumerate(row)})


@register.inclusion_tag("skills/includes/ladder_diagram.html")
def ladder_diagram(ladder: Ladder) -> dict:
    levels = ladder.levels()
    if not levels:
        return {"empty": True}
    rows = [[Node(role=role, lines=_wrap(role.title)) for role in roles] for _, roles in levels]
    nodes = {node.role.pk: node for row in rows for node in row}
    transitions = [t for t in ladder.internal_transitions() if t.from_role_id != t.to_role_id]
    neighbours: dict[int, set[int]] = {}
    for t in transitions:
        neighbours.setdefault(t.from_role_id, set()).add(t.to_role_id)
        neighbours.setdefault(t.to_role_id, set()).add(t.from_role_id)
    _order_rows(rows, neighbours)

    columns = max(len(row) for row in rows)
    body_w = columns * NODE_W + (columns - 1) * COL_GAP
    width = LABEL_W + body_w + 2 * PAD
    height = 2 * PAD + len(rows) * NODE_H + (len(rows) - 1) * ROW_GAP
    bands = []
    for r, row in enumerate(rows):
        y = PAD + r * (NODE_H + ROW_GAP)
        row_w = len(row) * NODE_W + (len(row) - 1) * COL_GAP
        x0 = PAD + LABEL_W + (body_w - row_w) / 2
        for i, node in enumerate(row):
            node.x, node.y = x0 + i * (NODE_W + COL_GAP), y
            node.ports = {"top": [], "bottom": []}
        bands.append(
            {
                "level": levels[r][0],
                "y": y - ROW_GAP / 4,
                "h": NODE_H + ROW_GAP / 2,
                "label_y": y + NODE_H / 2,
            }
        )

    # Decide which side of each box every arrow uses, then spread the arrows along it.
    routes = []
    for t in transitions:
        a, b = nodes[t.from_role_id], nodes[t.to_role_id]
        if b.y < a.y:
            sides = ("top", "bottom")
        elif b.y > a.y:
            sides = ("bottom", "top")
        else:
            sides = ("top", "top")  # same level: arc through the gap above the row
        a.ports[sides[0]].append((b.cx, b.role.pk))
        b.ports[sides[1]].append((a.cx, a.role.pk))
        routes.append((t, a, b, sides))

    edges = []
    for t, a, b, (side_a, side_b) in routes:
        x1, y1 = _spread(a, side_a, b), a.y if side_a == "top" else a.y + NODE_H
        x2, y2 = _spread(b, side_b, a), b.y if side_b == "top" else b.y + NODE_H
        if side_a == side_b:  # same level
            lift = ROW_GAP * 0.6
            path = f"M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 - lift:.1f} {x2:.1f},{y2 - lift:.1f} {x2:.1f},{y2:.1f}"
        else:
            bend = min(abs(y2 - y1) / 2, ROW_GAP)
            sign = -1 if y2 < y1 else 1
            path = (
                f"M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + sign * bend:.1f} "
                f"{x2:.1f},{y2 - sign * bend:.1f} {x2:.1f},{y2:.1f}"
            )
        edges.append({"path": path, "downward": b.role.level < a.role.level, "transition": t})

    return {
        "empty": False,
        "track": ladder.track,
        "width": width,
        "height": height,
        "min_width": round(width * 0.7),
        "label_x": PAD,
        "band_w": width,
        "bands": bands,
        "nodes": [_node_context(node) for row in rows for node in row],
        "edges": edges,
        "node_w": NODE_W,
        "node_h": NODE_H,
    }


def _spread(node: Node, side: str, other: Node) -> float:
    """x where the arrow to or from ``other`` meets ``side`` of ``node``: spread evenly, in
    the order of the far ends, so arrowheads never sit on top of each other."""
    ends = sorted(node.ports[side])
    index = ends.index((other.cx, other.role.pk))
    span = NODE_W * 0.7
    return node.x + (NODE_W - span) / 2 + span * (index + 1) / (len(ends) + 1)


def _node_context(node: Node) -> dict:
    return {
        "role": node.role,
        "x": node.x,
        "y": node.y,
        "cx": node.cx,
        "lines": [{"text": line, "y": node.title_y(i)} for i, line in enumerate(node.lines)],
        "badge_x": node.cx - 40,
        "badge_y": node.y + NODE_H - 26,
        "badge_text_y": node.y + NODE_H - 14,
    }
