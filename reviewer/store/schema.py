"""Numbered migrations. Each runs in its own transaction and bumps ``user_version``."""
from __future__ import annotations

from typing import Callable

APPLICATION_ID = 0x52564557  # "RVEW": marks a file as a Reviewer case database


def _m1() -> str:
    from reviewer.annotate.reasons import BUILTIN_REASONS

    reasons = "".join(
        f"INSERT INTO reasons (code, description, builtin) VALUES ('{c}', '{d.replace(chr(39), chr(39) * 2)}', 1);\n"
        for c, d in BUILTIN_REASONS
    )
    return """
        CREATE TABLE case_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

        CREATE TABLE media (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('video', 'pdf')),
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            added TEXT NOT NULL,
            frame_count INTEGER, width INTEGER, height INTEGER,
            duration REAL, fps REAL,
            page_count INTEGER,
            info TEXT NOT NULL DEFAULT '{}'
        ) STRICT;
        CREATE INDEX media_name ON media(name);

        -- one demux pass: every displayed frame's pts in display order, keyframes
        CREATE TABLE frame_index (
            media_id INTEGER PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
            data BLOB NOT NULL,
            info TEXT NOT NULL DEFAULT '{}'
        ) STRICT;

        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            page_no INTEGER NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            bates TEXT,
            width_pt REAL, height_pt REAL,
            ocr_layer INTEGER NOT NULL DEFAULT 0,
            UNIQUE (media_id, page_no)
        ) STRICT;
        CREATE INDEX pages_bates ON pages(bates);
        CREATE VIRTUAL TABLE pages_fts USING fts5(
            text, content='pages', content_rowid='id', tokenize='unicode61'
        );
        CREATE TRIGGER pages_ai AFTER INSERT ON pages BEGIN
            INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER pages_ad AFTER DELETE ON pages BEGIN
            INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER pages_au AFTER UPDATE OF text ON pages BEGIN
            INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
        END;

        CREATE TABLE tags (name TEXT PRIMARY KEY, color TEXT NOT NULL DEFAULT '#f2c94c') STRICT;

        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            frame INTEGER, frame_to INTEGER, pts INTEGER,
            page_no INTEGER, rect TEXT,
            text TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            for_bundle INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            CHECK ((frame IS NULL) <> (page_no IS NULL))
        ) STRICT;
        CREATE INDEX annotations_media ON annotations(media_id, frame, page_no);

        CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            from_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            to_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (from_id, to_id)
        ) STRICT;

        CREATE TABLE reasons (
            code TEXT PRIMARY KEY,
            description TEXT NOT NULL DEFAULT '',
            builtin INTEGER NOT NULL DEFAULT 0
        ) STRICT;

        -- box: a track over frames with keyframes; audio: a span [t_from, t_to] in exact
        -- seconds (fractions as text); page: a rectangle on a page in PDF points.
        CREATE TABLE redactions (
            id INTEGER PRIMARY KEY,
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('box', 'audio', 'page')),
            reason TEXT NOT NULL DEFAULT '',
            shape TEXT NOT NULL DEFAULT 'rect',
            style TEXT NOT NULL DEFAULT 'solid',
            frame_from INTEGER, frame_to INTEGER,
            t_from TEXT, t_to TEXT, mode TEXT,
            page_no INTEGER, rect TEXT,
            source TEXT NOT NULL DEFAULT 'manual',
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suggested', 'rejected')),
            label TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        ) STRICT;
        CREATE INDEX redactions_media ON redactions(media_id, kind);

        CREATE TABLE keyframes (
            id INTEGER PRIMARY KEY,
            redaction_id INTEGER NOT NULL REFERENCES redactions(id) ON DELETE CASCADE,
            frame INTEGER NOT NULL,
            x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
            UNIQUE (redaction_id, frame)
        ) STRICT;

        CREATE TABLE exhibits (
            id INTEGER PRIMARY KEY,
            seq INTEGER NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('clip', 'still', 'document')),
            frame_from INTEGER, frame_to INTEGER,
            page_from INTEGER, page_to INTEGER,
            description TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        ) STRICT;

        -- what the producing agency withheld (requester-side log)
        CREATE TABLE withheld (
            id INTEGER PRIMARY KEY,
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            page_no INTEGER NOT NULL,
            bates TEXT,
            rect TEXT NOT NULL,
            codes TEXT NOT NULL DEFAULT '[]',
            comment TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'detected'
        ) STRICT;
        CREATE INDEX withheld_media ON withheld(media_id, page_no);

        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

        -- append-only; each row carries the hash of the previous row
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            op TEXT NOT NULL,
            payload TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        ) STRICT;
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """ + reasons


def _m2() -> str:
    # keyframes point into the video by pts as well as by frame (CONVENTIONS: store both);
    # the panel/timeline indexes were first created lazily, hence IF NOT EXISTS.
    return """
        ALTER TABLE keyframes ADD COLUMN pts INTEGER;
        CREATE INDEX IF NOT EXISTS links_to ON links(to_id);
        CREATE INDEX IF NOT EXISTS annotations_panel ON annotations(media_id, coalesce(frame, page_no), id);
        CREATE INDEX IF NOT EXISTS redactions_media_frames ON redactions(media_id, kind, frame_from);
    """


def _m3() -> str:
    # what detect text read in a video: one row per text track (its frames, its best reading,
    # every distinct reading with the first frame it was read on), searchable by `search`.
    # Derived data, like a page's text: the redaction a track made is labelled `Text N`
    # (track_no N) and is reviewed, undone or deleted on its own; what was seen stays.
    return """
        CREATE TABLE IF NOT EXISTS seen_text (
            id INTEGER PRIMARY KEY,
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            track_no INTEGER NOT NULL,
            frame_from INTEGER NOT NULL,
            frame_to INTEGER NOT NULL,
            text TEXT NOT NULL,
            score REAL NOT NULL DEFAULT 0,
            line_h REAL NOT NULL DEFAULT 0,
            reads TEXT NOT NULL DEFAULT '[]'
        ) STRICT;
        CREATE INDEX IF NOT EXISTS seen_text_media ON seen_text(media_id, frame_from);
    """


def _m4() -> str:
    # what tesseract read on a page that is only a picture (a scan with no text layer): the
    # words with their pixel boxes, as JSON, so a search of a 1,800-page scan reads each page
    # once, not once per pattern and per search. Derived data, like a page's text; ``reader``
    # names the engine and settings, so another reading is kept apart.
    return """
        CREATE TABLE IF NOT EXISTS page_ocr (
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            page_no INTEGER NOT NULL,
            reader TEXT NOT NULL,
            words TEXT NOT NULL,
            PRIMARY KEY (media_id, page_no, reader)
        ) STRICT;
    """


def _m5() -> str:
    # what was said in a video's audio tracks. A transcript is kept per (original SHA-256,
    # track, model, settings), so transcribing again with nothing changed does nothing; an
    # imported transcript is another row (model 'import:...'). For each (media, track) the
    # newest transcript is the one shown. ``heard`` keeps what the engine heard when a
    # reviewer corrects ``word``; ``speech_gaps`` are stretches where the voice detector
    # heard speech that produced no words ("speech not transcribed", never silence).
    return """
        CREATE TABLE IF NOT EXISTS transcripts (
            id INTEGER PRIMARY KEY,
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            track INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            model TEXT NOT NULL,
            settings TEXT NOT NULL,
            seconds REAL NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            UNIQUE (media_id, track, sha256, model, settings)
        ) STRICT;
        CREATE TABLE IF NOT EXISTS spoken_words (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            track INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            word TEXT NOT NULL,
            heard TEXT NOT NULL,
            start_s REAL NOT NULL,
            end_s REAL NOT NULL,
            confidence REAL NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX IF NOT EXISTS spoken_words_transcript ON spoken_words(transcript_id, seq);
        CREATE TABLE IF NOT EXISTS speech_gaps (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            start_s REAL NOT NULL,
            end_s REAL NOT NULL
        ) STRICT;
    """


def _m6() -> str:
    # a transcript excerpt can be an exhibit (kind 'transcript': the words said while frames
    # frame_from..frame_to show, cited by their times). SQLite cannot change a CHECK in place,
    # so the table is rebuilt with the same columns and rows; nothing references exhibits.
    return """
        CREATE TABLE exhibits_m6 (
            id INTEGER PRIMARY KEY,
            seq INTEGER NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('clip', 'still', 'document', 'transcript')),
            frame_from INTEGER, frame_to INTEGER,
            page_from INTEGER, page_to INTEGER,
            description TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        ) STRICT;
        INSERT INTO exhibits_m6 (id, seq, label, media_id, kind, frame_from, frame_to, page_from,
                                  page_to, description, created)
            SELECT id, seq, label, media_id, kind, frame_from, frame_to, page_from, page_to,
                   description, created FROM exhibits;
        DROP TABLE exhibits;
        ALTER TABLE exhibits_m6 RENAME TO exhibits;
    """


def _m7() -> str:
    # what OCR must read on a page before a search sees all its words (reviewer.pdf.pictures):
    # 1 the page is only a picture, 2 it has a text layer and pictures that can hold text, 0
    # nothing. Set at import, so the window and `import` can say how many pages wait to be
    # read without opening every document; pages imported before this are 0 until
    # `reviewer ocr` (or the window's reading) looks at them.
    return """
        ALTER TABLE pages ADD COLUMN ocr_wanted INTEGER NOT NULL DEFAULT 0;
    """


# number -> the SQL script of that migration, run inside one transaction; numbers may have
# gaps while branches that each add one are apart, and run in order
MIGRATIONS: dict[int, Callable[[], str]] = {1: _m1, 2: _m2, 3: _m3, 4: _m4, 5: _m5, 6: _m6, 7: _m7}
LATEST = max(MIGRATIONS)
