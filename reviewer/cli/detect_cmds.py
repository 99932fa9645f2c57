"""``detect faces``: find the faces in a video and add them as redaction tracks."""
from __future__ import annotations

from argparse import Namespace


def cmd_faces(args: Namespace) -> int:
    # one video or many, resumable, on local processes or a cluster: reviewer.cli.batch_cmds
    from reviewer.cli.batch_cmds import detect_faces

    return detect_faces(args)
