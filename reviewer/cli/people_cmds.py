"""``people``: the case's list of people (names redacted in every form), and proposals for the
names it lacks."""
from __future__ import annotations

import sys
from argparse import Namespace

from reviewer.inert import json_text, shown_line
from reviewer.store import CaseStore


def cmd_people(args: Namespace) -> int:
    from reviewer.session import people
    from reviewer.session.session import Session
    from reviewer.store import media as media_store

    with CaseStore.open(args.case) as store:
        names = list(args.add or [])
        for f in args.import_ or []:
            names += people.read_people_file(f)
        session = Session(store)
        if args.remove:
            session.apply(people.remove_people(store, args.remove))
        if names:
            cmd, added = people.add_people(store, names)
            if cmd is not None:
                session.apply(cmd)
            if not args.json:
                print(f"added {len(added)} of {len(names)} name(s)", file=sys.stderr)
        if args.suggest:
            docs = media_store.documents(store, args.media, "the names finder reads documents")
            found = people.propose_people(store, docs)
            if args.json:
                print(json_text(found, indent=2))
            else:
                for p in found:
                    where = ", ".join(f"{m} p. {n}" for m, n in p["where"][:3])
                    # names come from the documents: printed inert (reviewer.inert)
                    print(shown_line(f"{p['name']}\t{p['count']}\t{' | '.join(p['seen'][:3])}\t{where}"))
            return 0
        listed = people.read_people(store)
    if args.json:
        print(json_text(listed, indent=2))
    else:
        for n in listed:
            print(shown_line(n))
    return 0
