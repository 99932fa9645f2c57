"""``review``: list a video's box redactions and suggestions, accept or reject them (what
the window's Redactions panel does with A and X)."""
from __future__ import annotations

from argparse import Namespace

from reviewer.errors import ReviewerError
from reviewer.inert import json_text, shown_line
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def cmd_review(args: Namespace) -> int:
    from reviewer.session.redactions import set_status
    from reviewer.session.session import Session
    from reviewer.store.annotations import timeline_tracks

    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        rows = timeline_tracks(store, media["id"])
        ids = {r["id"] for r in rows}
        for rid in [*args.accept, *args.reject]:
            if rid not in ids:
                raise ReviewerError(f"{media['name']}: no box redaction {rid} on this item")
        if set(args.accept) & set(args.reject):
            raise ReviewerError("the same redaction cannot be accepted and rejected")
        session = Session(store)
        if args.accept:
            session.apply(set_status(args.accept, "active"))
        if args.reject:
            session.apply(set_status(args.reject, "rejected"))
        out = []
        for r in timeline_tracks(store, media["id"]):
            out.append({"id": r["id"], "label": r["label"], "frame_from": r["frame_from"],
                        "frame_to": r["frame_to"], "status": r["status"], "source": r["source"],
                        "reason": r["reason"], "style": r["style"]})
    if args.json:
        print(json_text(out, indent=2))
    else:
        for r in out:
            print(shown_line(f"{r['id']}\t{r['status']}\tf{r['frame_from']}-{r['frame_to']}\t{r['label']}"))
    return 0
