"""``annotate``, ``annotations``, ``link``."""
from __future__ import annotations

import json
import math
from argparse import Namespace
from collections.abc import Sequence

from reviewer.errors import ReviewerError
from reviewer.inert import shown_line
from reviewer.session.undo import created_id
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def parse_numbers(text: str, n: int, what: str, name: str) -> tuple[float, ...]:
    """``n`` comma-separated numbers, or a one-line error naming the item."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != n or not all(math.isfinite(v) for v in values):
        raise ReviewerError(f"{name}: --rect {text!r} is not {what}")
    return values


def cmd_annotate(args: Namespace) -> int:
    from reviewer.session.annotations import add_annotation
    from reviewer.session.session import Session

    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        rect: Sequence[float] | None = None
        if args.rect is not None:
            rect = parse_numbers(args.rect, 4, "X0,Y0,X1,Y1 (four numbers, PDF points)",
                                 media["name"])
        cmd = add_annotation(store, media, text=args.text, frame=args.frame, frame_to=args.to,
                             page_no=args.page, rect=rect, tags=args.tag,
                             for_bundle=getattr(args, "for_bundle", False))
        inverse, _ = Session(store).apply(cmd)
    print(created_id(inverse, "annotations"))
    return 0


def cmd_annotations(args: Namespace) -> int:
    from reviewer.session.annotations import frame_times
    from reviewer.store.annotations import list_annotations

    with CaseStore.open(args.case) as store:
        media_id = media_store.find_media(store, args.media)["id"] if args.media else None
        notes = list_annotations(store, media_id)
        items = {m["id"]: m for m in media_store.list_media(store)}
        names = {i: m["name"] for i, m in items.items()}
        times = {i: frame_times(store, items[i]) for i in {n.media_id for n in notes if n.on_video}}
    rows = []
    for n in notes:
        row = n.public()
        t = times.get(n.media_id)
        if n.on_video and t is not None and n.frame is not None and n.frame < t.count:
            # where a player lands on the note's first frame
            row["timecode"] = t.timecode(n.frame)
        rows.append(row)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        where = (f"frames {r['frame']}-{r['to']}" if "frame" in r and r["to"] != r["frame"]
                 else f"frame {r['frame']}" if "frame" in r else f"page {r['page']}")
        tags = f" [{', '.join(r['tags'])}]" if r["tags"] else ""
        print(shown_line(f"{r['id']}\t{names.get(r['media'], r['media'])}\t{where}\t{r['text']}{tags}"))
    return 0


def cmd_link(args: Namespace) -> int:
    from reviewer.session.annotations import link_annotations
    from reviewer.session.session import Session

    with CaseStore.open(args.case) as store:
        inverse, _ = Session(store).apply(link_annotations(store, args.from_id, args.to_id))
    print(created_id(inverse, "links"))
    return 0
