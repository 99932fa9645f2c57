"""``detect faces``: find the faces in a video and add them as redaction tracks."""
from __future__ import annotations

from argparse import Namespace

from reviewer.store import CaseStore
from reviewer.store import media as media_store


def cmd_faces(args: Namespace) -> int:
    from reviewer.session.detect import detect_faces

    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        count = detect_faces(store, media, reason=args.reason,
                             status="suggested" if args.suggest else "active")
    print(count)
    return 0
