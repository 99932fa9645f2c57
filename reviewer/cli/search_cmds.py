"""``search``: the documents' text, the words read and spoken in the videos, with pin cites."""
from __future__ import annotations

import sys
from argparse import Namespace

from reviewer.inert import json_text, shown_line
from reviewer.store import CaseStore


def cmd_search(args: Namespace) -> int:
    from reviewer.session.search import search_case

    with CaseStore.open(args.case) as store:
        hits = search_case(store, args.query)
    # every hit is listed (no cap); how many goes to stderr, so stdout stays the hits alone
    print(f"{len(hits)} hit(s)", file=sys.stderr)
    if args.json:
        print(json_text(hits, indent=2))
        return 0
    for h in hits:
        if h.get("match") == "near":
            print(f"{h['media']}\t{h['media_name']}\tframe {h['frame']} ({h['timecode']})\t"
                  f"near miss (sounds like {args.query!r}): {h['text']}")
            continue
        where = (f"frame {h['frame']} ({h['timecode']})" if h["kind"] == "video"
                 else f"p. {h['page']}" + (f" ({h['bates']})" if h.get("bates") else ""))
        print(shown_line(f"{h['media']}\t{h['media_name']}\t{where}\t{h['text']}"))
    return 0
