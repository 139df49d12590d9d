"""``{% ladder_diagram ladder %}``: a track's ladder as a server-rendered SVG.

One row per level, highest at the top; roles are boxes linking to their pages and
transitions are arrows. The layout is a small Sugiyama-style drawing: an arrow that skips
rows gets a narrow waypoint in every row it crosses, so it runs through a gap instead of
through a box, and rows are ordered by the mean position of their neighbours to keep
arrows from crossing. Plain arithmetic on fixed-size boxes: no JavaScript, and the SVG
scales through its viewBox.

A move to or from another track (an engineer into product management) is drawn too: the other
track's role gets a box of its own at its level, outlined and labelled with its track's name, and
the arrow to it is coloured apart. The page's list of moves stays the text equivalent.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import template

from skills.models import Role, Transition
from skills.queries import Ladder

register = template.Library()

NODE_W = 200
NODE_H = 76
WAYPOINT_W = 12  # the width a skipping arrow takes in a row it crosses
COL_GAP = 48  # between two boxes
WAYPOINT_GAP = 20  # beside a waypoint
ROW_GAP = 80  # room between rows for the arrows to bend
ARC_LIFT = ROW_GAP * 0.6  # control-point height of a sideways move; its peak is 3/4 of this
LABEL_W = 72  # the "Level n" column on the left
PAD = 16
LINE_H = 18
BADGE_H = 22  # the entry-point pill and the space above it
TITLE_CHARS = 22  # what fits on one line of a box at 14px
BADGE_CHAR_W = 7.2  # the width of one character of a badge at 11px, bold, roughly
SWEEPS = 6  # barycentre passes; more rarely changes anything


@dataclass(eq=False)
class Slot:
    """A place in a row: a role's box, or a waypoint where a longer arrow crosses the row."""

    key: str
    role: Role | None = None
    x: float = 0
    y: float = 0
    lines: list[str] = field(default_factory=list)
    ports: dict[str, list[tuple[float, int]]] = field(default_factory=lambda: {"top": [], "bottom": []})

    @property
    def width(self) -> float:
        return NODE_W if self.role else WAYPOINT_W

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def sort_name(self) -> str:
        return self.role.title if self.role else ""

    def port_x(self, side: str, far_x: float, transition_pk: int) -> float:
        """Spread the arrows meeting one side of a box in the order of their far ends, so
        arrowheads never sit on top of each other and neighbouring arrows don't cross."""
        if not self.role:
            return self.cx
        ends = sorted(self.ports[side])
        index = ends.index((far_x, transition_pk))
        span = NODE_W * 0.7
        return self.x + (NODE_W - span) / 2 + span * (index + 1) / (len(ends) + 1)


Chain = tuple[Transition, list[Slot]]  # a transition and the slots its arrow passes through


def _wrap(title: str) -> list[str]:
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), TITLE_CHARS, placeholder="…")]
    return lines


def _order_rows(rows: list[list[Slot]], neighbours: dict[str, list[str]]) -> None:
    """Reorder each row by the mean position of its neighbours (barycentre heuristic)."""

    def place(row: list[Slot]) -> dict[str, float]:
        return {slot.key: i - (len(row) - 1) / 2 for i, slot in enumerate(row)}

    position = {key: x for row in rows for key, x in place(row).items()}
    for sweep in range(SWEEPS):
        for row in reversed(rows) if sweep % 2 == 0 else rows:

            def barycentre(slot: Slot) -> tuple[float, str]:
                linked = [position[key] for key in neighbours.get(slot.key, ())]
                return (sum(linked) / len(linked) if linked else position[slot.key], slot.sort_name)

            row.sort(key=barycentre)
            position.update(place(row))


def _gap(left: Slot, right: Slot) -> float:
    return COL_GAP if left.role and right.role else WAYPOINT_GAP


def _row_width(row: list[Slot]) -> float:
    return sum(slot.width for slot in row) + sum(_gap(a, b) for a, b in zip(row, row[1:], strict=False))


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    """An S-bend leaving and arriving vertically."""
    mid = (y1 + y2) / 2
    return f" C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} {x2:.1f},{y2:.1f}"


def _edge_path(chain: list[Slot], t: Transition) -> str:
    a, b = chain[0], chain[-1]
    if a.y == b.y:  # same level: arc through the gap above the row
        x1 = a.port_x("top", b.cx, t.pk)
        x2 = b.port_x("top", a.cx, t.pk)
        lift = a.y - ARC_LIFT
        return f"M{x1:.1f},{a.y:.1f} C{x1:.1f},{lift:.1f} {x2:.1f},{lift:.1f} {x2:.1f},{b.y:.1f}"
    up = b.y < a.y
    leave, enter = ("top", "bottom") if up else ("bottom", "top")

    def edge_y(slot: Slot, side: str) -> float:
        return slot.y if side == "top" else slot.y + NODE_H

    x, y = a.port_x(leave, chain[1].cx, t.pk), edge_y(a, leave)
    path = f"M{x:.1f},{y:.1f}"
    for waypoint in chain[1:-1]:  # through each crossed row, straight down its gap
        path += _curve(x, y, waypoint.cx, edge_y(waypoint, enter))
        x, y = waypoint.cx, edge_y(waypoint, leave)
        path += f" L{x:.1f},{y:.1f}"
    return path + _curve(x, y, b.port_x(enter, chain[-2].cx, t.pk), edge_y(b, enter))


def _levels_with_other_tracks(ladder: Ladder) -> list[tuple[int, list[Role]]]:
    """(level, roles) from the highest level down, this ladder's roles first in each level, then the
    other tracks' roles its transitions lead to or come from."""
    if not ladder.roles:
        return []
    others: dict[int, Role] = {}
    for t in ladder.transitions:
        for role in (t.from_role, t.to_role):
            if role.track_id != ladder.track.pk:
                others[role.pk] = role
    levels = dict(ladder.levels())
    for role in sorted(others.values(), key=lambda role: role.title):
        levels.setdefault(role.level, []).append(role)
    return sorted(levels.items(), key=lambda item: -item[0])


@register.inclusion_tag("skills/includes/ladder_diagram.html")
def ladder_diagram(ladder: Ladder) -> dict:
    levels = _levels_with_other_tracks(ladder)
    if not levels:
        return {"empty": True}
    rows = [
        [Slot(key=f"r{role.pk}", role=role, lines=_wrap(role.title)) for role in roles] for _, roles in levels
    ]
    row_of = {role.pk: r for r, (_, roles) in enumerate(levels) for role in roles}
    chains = _route(ladder.transitions, rows, row_of)

    body_w = max(_row_width(row) for row in rows)
    width = LABEL_W + body_w + 2 * PAD
    # A sideways move on the top row arcs above it: make room so it isn't cut off.
    top_arc = any(row_of[t.from_role_id] == row_of[t.to_role_id] == 0 for t, _ in chains)
    top = PAD + (ARC_LIFT * 0.75 if top_arc else 0)
    height = top + PAD + len(rows) * NODE_H + (len(rows) - 1) * ROW_GAP
    bands = _place(rows, levels, top, body_w)
    _assign_ports(chains)
    return {
        "empty": False,
        "track": ladder.track,
        "width": round(width),
        "height": round(height),
        "min_width": round(width * 0.7),
        "label_x": PAD,
        "bands": bands,
        "nodes": [_node_context(slot, ladder) for row in rows for slot in row if slot.role],
        "edges": [_edge_context(chain, t, ladder) for t, chain in chains],
        "node_w": NODE_W,
        "node_h": NODE_H,
    }


def _route(transitions: Iterable[Transition], rows: list[list[Slot]], row_of: dict[int, int]) -> list[Chain]:
    """Chain each transition's two boxes through a waypoint in every row it skips, then order
    the rows so that linked slots sit near each other."""
    slot_of = {slot.role.pk: slot for row in rows for slot in row if slot.role}  # no waypoints yet
    chains: list[Chain] = []
    neighbours: dict[str, list[str]] = {}
    for t in transitions:
        waypoints = _add_waypoints(t, rows, row_of[t.from_role_id], row_of[t.to_role_id])
        chain = [slot_of[t.from_role_id], *waypoints, slot_of[t.to_role_id]]
        for near, far in zip(chain, chain[1:], strict=False):
            neighbours.setdefault(near.key, []).append(far.key)
            neighbours.setdefault(far.key, []).append(near.key)
        chains.append((t, chain))
    _order_rows(rows, neighbours)
    return chains


def _add_waypoints(t: Transition, rows: list[list[Slot]], ra: int, rb: int) -> list[Slot]:
    """A waypoint in each row strictly between rows ra and rb, in the order the arrow meets them."""
    step = 1 if rb > ra else -1
    waypoints = [Slot(key=f"t{t.pk}w{r}") for r in range(ra + step, rb, step)] if abs(rb - ra) > 1 else []
    for r, waypoint in zip(range(ra + step, rb, step), waypoints, strict=True):
        rows[r].append(waypoint)
    return waypoints


def _place(
    rows: list[list[Slot]], levels: list[tuple[int, list[Role]]], top: float, body_w: float
) -> list[dict]:
    """Give every slot its position, each row centred; return the level bands behind the rows."""
    bands = []
    for r, row in enumerate(rows):
        y = top + r * (NODE_H + ROW_GAP)
        x = PAD + LABEL_W + (body_w - _row_width(row)) / 2
        for i, slot in enumerate(row):
            slot.x, slot.y = x, y
            x += slot.width + (_gap(slot, row[i + 1]) if i + 1 < len(row) else 0)
        bands.append(
            {
                "level": levels[r][0],
                "y": y - ROW_GAP / 4,
                "h": NODE_H + ROW_GAP / 2,
                "label_y": y + NODE_H / 2,
            }
        )
    return bands


def _assign_ports(chains: list[Chain]) -> None:
    """Tell each box which arrows meet its top and bottom, so port_x can spread them out."""
    for t, chain in chains:
        a, b = chain[0], chain[-1]
        if a.y == b.y:
            a.ports["top"].append((b.cx, t.pk))
            b.ports["top"].append((a.cx, t.pk))
        else:
            up = b.y < a.y
            a.ports["top" if up else "bottom"].append((chain[1].cx, t.pk))
            b.ports["bottom" if up else "top"].append((chain[-2].cx, t.pk))


def _edge_context(chain: list[Slot], t: Transition, ladder: Ladder) -> dict:
    return {
        "path": _edge_path(chain, t),
        "downward": t.to_role.level < t.from_role.level,
        "across": not t.from_role.track_id == t.to_role.track_id == ladder.track.pk,
        "transition": t,
    }


def _node_context(slot: Slot, ladder: Ladder) -> dict:
    assert slot.role is not None  # a role's box: waypoints are not nodes
    other_track = slot.role.track if slot.role.track_id != ladder.track.pk else None
    badge_text = other_track.name if other_track else "Entry point" if slot.role.is_entry_point else ""
    badge_w = min(NODE_W - 16, round(len(badge_text) * BADGE_CHAR_W + 20))
    top = slot.y + (NODE_H - (BADGE_H if badge_text else 0) - LINE_H * len(slot.lines)) / 2
    return {
        "role": slot.role,
        "other_track": other_track,
        "entry": slot.role.is_entry_point and not other_track,
        "x": slot.x,
        "y": slot.y,
        "cx": slot.cx,
        "lines": [{"text": line, "y": top + 14 + LINE_H * i} for i, line in enumerate(slot.lines)],
        "badge_text": badge_text,
        "badge_w": badge_w,
        "badge_x": slot.cx - badge_w / 2,
        "badge_y": slot.y + NODE_H - 26,
        "badge_text_y": slot.y + NODE_H - 13,
    }
