"""Material for the acceptance tests, built the way real files are built, with tools that are
not the project's: FFmpeg's own command-line program (from imageio-ffmpeg) for every clip,
espeak-ng for speech, PyMuPDF/Pillow/pikepdf for PDFs written as scanners and word
processors write them. Also the independent readers the tests check the product with:
FFmpeg's demuxer and decoder (``ffmpeg -i``, framemd5, rawvideo), never the project's code."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FOREMAN = ROOT / "resources" / "demo" / "foreman_h264.mp4"
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg(*args: object) -> None:
    subprocess.run([FFMPEG, "-v", "error", "-y", *map(str, args)], check=True,
                   capture_output=True)


# --------------------------------------------------------------------------- readers (FFmpeg)

@dataclass(frozen=True)
class Stream:
    index: int
    kind: str        # Video | Audio | Subtitle | Data
    line: str


def ffmpeg_info(path: Path) -> str:
    """What FFmpeg's demuxer says about a file (``ffmpeg -i``; there is no ffprobe here)."""
    p = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    return p.stderr


def streams(path: Path) -> list[Stream]:
    out = []
    for m in re.finditer(r"Stream #0:(\d+)[^:]*: (Video|Audio|Subtitle|Data): (.*)",
                         ffmpeg_info(path)):
        out.append(Stream(int(m.group(1)), m.group(2), m.group(3)))
    return out


def frame_times(path: Path) -> list[float]:
    """Presentation time of every frame FFmpeg's decoder outputs for the first video stream
    (edit lists honoured, no frames dropped or duplicated), in seconds, from framemd5."""
    p = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-map", "0:v:0",
                        "-fps_mode", "passthrough", "-f", "framemd5", "-"],
                       capture_output=True, text=True, check=True)
    tb = Fraction(1, 1)
    times = []
    for line in p.stdout.splitlines():
        m = re.match(r"#tb 0: (\d+)/(\d+)", line)
        if m:
            tb = Fraction(int(m.group(1)), int(m.group(2)))
        elif line and not line.startswith("#"):
            pts = int(line.split(",")[2])
            times.append(float(pts * tb))
    return times


def display_size(path: Path) -> tuple[int, int]:
    """Width and height a player shows: SAR applied to the width, then the display rotation."""
    info = ffmpeg_info(path)
    v = next(s for s in streams(path) if s.kind == "Video")
    w, h = map(int, re.search(r", (\d{2,5})x(\d{2,5})", v.line).groups())
    sar = re.search(r"SAR (\d+):(\d+)", v.line)
    if sar and int(sar.group(1)) and int(sar.group(2)):
        w = round(w * int(sar.group(1)) / int(sar.group(2)))
    rot = re.search(r"rotation of (-?[\d.]+) degrees", info)
    if rot and round(abs(float(rot.group(1)))) % 180 == 90:
        w, h = h, w
    return w, h


def decode_rgb(path: Path, size: tuple[int, int] | None = None, stream: str = "0:v:0") -> np.ndarray:
    """Every displayed frame as RGB, decoded by FFmpeg (autorotate on; SAR applied by scaling
    to ``size``, the displayed size)."""
    size = size or display_size(path)
    raw = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-map", stream,
                          "-fps_mode", "passthrough", "-vf",
                          f"scale={size[0]}:{size[1]}:flags=bicubic,setsar=1",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, size[1], size[0], 3)


def decode_audio(path: Path, track: int, rate: int = 16000) -> np.ndarray:
    """Audio track ``track`` as mono float samples at ``rate``, decoded by FFmpeg."""
    raw = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-map", f"0:a:{track}",
                          "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.float32)


# --------------------------------------------------------------------------- clips

SIZE = (192, 144)


def _src(seconds: float, rate: int = 25, size: tuple[int, int] = SIZE) -> list[str]:
    # testsrc draws a moving pattern and the frame's own counter, so frames really differ
    return ["-f", "lavfi", "-i", f"testsrc=size={size[0]}x{size[1]}:rate={rate}:duration={seconds}"]


def bframes_editlist(out: Path) -> Path:
    """H.264 High with 3 B-frames (pyramid), then stream-copied from 0.52 s: the MP4 keeps the
    frames from the keyframe before and hides them with an edit list, as trimming tools do."""
    full = out.with_name("full_" + out.name)
    ffmpeg(*_src(3.0), "-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-g", "25",
           "-pix_fmt", "yuv420p", full)
    ffmpeg("-ss", "0.52", "-i", full, "-c", "copy", out)
    full.unlink()
    return out


def vfr_mkv(out: Path) -> Path:
    """Variable frame rate Matroska: 25 frames at 25 fps, then 15 frames at 10 fps."""
    ffmpeg(*_src(2.5), "-vf", "setpts='if(lt(N,25),N/25,1+(N-25)/10)/TB'", "-frames:v", "40",
           "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", out)
    return out


def rotated_phone(out: Path) -> Path:
    """A phone clip: coded landscape 192x144, display matrix turns it 90 degrees."""
    flat = out.with_name("flat_" + out.name)
    ffmpeg(*_src(1.6), "-f", "lavfi", "-i", "sine=frequency=300:duration=1.6",
           "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac",
           "-shortest", flat)
    ffmpeg("-display_rotation", "90", "-i", flat, "-c", "copy", out)
    flat.unlink()
    return out


def anamorphic(out: Path) -> Path:
    """Non-square pixels: 192x144 coded with SAR 3:2, shown 288x144."""
    ffmpeg(*_src(1.6), "-vf", "setsar=3/2", "-c:v", "libx264", "-preset", "veryfast",
           "-pix_fmt", "yuv420p", out)
    return out


def multitrack(out: Path, work: Path) -> Path:
    """Video, two audio tracks (espeak-ng speech; a 880 Hz tone), a subtitle track with a
    name, GPS and comment metadata: what a bodycam export with a second mic looks like."""
    speech = work / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(speech), "Officer Rodriguez speaking at the door "
                    "of the house, the time is three"], check=True, capture_output=True)
    srt = work / "subs.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:03,000\nSUBTITLE Maria Rodriguez\n\n")
    ffmpeg(*_src(3.0), "-stream_loop", "-1", "-i", speech,
           "-f", "lavfi", "-i", "sine=frequency=880:duration=3", "-i", srt,
           "-map", "0:v", "-map", "1:a", "-map", "2:a", "-map", "3:s",
           "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-ar", "16000", "-c:s", "mov_text", "-t", "3",
           "-metadata", "comment=SECRETCOMMENT witness Rodriguez",
           "-metadata", "location=+40.7128-074.0060/", "-metadata", "title=BODYCAM TITLE",
           out)
    return out


def hard_cut(out: Path) -> Path:
    """An edited clip: foreman's first second, a hard cut to a close-up (crop of the same
    shot, scaled back), as agencies' produced clips cut."""
    ffmpeg("-i", FOREMAN, "-filter_complex",
           "[0:v]split[a][b];[a]trim=end_frame=30,setpts=PTS-STARTPTS,setsar=128/117[w];"
           "[b]trim=start_frame=30,setpts=PTS-STARTPTS,crop=240:196:56:20,scale=352:288,"
           "setsar=128/117[c];[w][c]concat=n=2:v=1[v]",
           "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-bf", "2",
           "-pix_fmt", "yuv420p", out)
    return out


def phone_face(out: Path) -> Path:
    """Foreman as a phone stores it: the coded picture turned on its side, the display matrix
    turning it upright again (what a player and the reviewer show)."""
    side = out.with_name("side_" + out.name)
    ffmpeg("-i", FOREMAN, "-vf", "transpose=1,setsar=1", "-c:v", "libx264", "-preset",
           "veryfast", "-pix_fmt", "yuv420p", side)
    ffmpeg("-display_rotation", "90", "-i", side, "-c", "copy", out)
    side.unlink()
    return out


def broken_video(out: Path, good: Path) -> Path:
    data = good.read_bytes()
    out.write_bytes(data[:64] + b"\x00" * 4096)
    return out


def copy_of(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst


# --------------------------------------------------------------------------- PDFs

NAME = "Rodriguez"
BATES0 = 123


def bates(i: int) -> str:
    return f"ICE-2023-{BATES0 + i:06d}"


def production_pdf(out: Path, work: Path) -> Path:
    """A four-page production with Bates numbers ICE-2023-000123..126, written as a word
    processor and a scanner write them:
    p1 typed: a heading in capitals, an A-number, an SSN, neighbours above and below;
    p2 the name hyphenated across a line end ("Rodri-" / "guez") and broken over lines;
    p3 a scanned page (an image) with an invisible OCR text layer (render mode 3);
    p4 a page the agency already withheld: a black box with "(b)(6), (b)(7)(C)" beside it."""
    import pymupdf as fitz
    from PIL import Image, ImageDraw, ImageFont

    doc = fitz.open()
    W, H = 612, 792

    def stamp(page, i):
        page.insert_text((440, 770), bates(i), fontname="helv", fontsize=10)

    p = doc.new_page(width=W, height=H)
    p.insert_text((72, 80), "INTERVIEW OF MARIA RODRIGUEZ", fontname="hebo", fontsize=16)
    p.insert_text((72, 130), "Line above stays visible neighbour", fontname="helv", fontsize=11)
    p.insert_text((72, 150), "Alien number A123-456-789 on file.", fontname="helv", fontsize=11)
    p.insert_text((72, 170), "Social security 123-45-6789 recorded.", fontname="helv", fontsize=11)
    p.insert_text((72, 190), "Line below stays visible neighbour", fontname="helv", fontsize=11)
    p.insert_text((72, 230), "Witness Rodriguez was interviewed by Agent Smithson.",
                  fontname="helv", fontsize=11)
    stamp(p, 0)

    p = doc.new_page(width=W, height=H)
    p.insert_text((72, 100), "The subject, later identified as Maria Rodri-", fontname="helv",
                  fontsize=11)
    p.insert_text((72, 114), "guez, stated that she lived at the address.", fontname="helv",
                  fontsize=11)
    p.insert_text((72, 160), "Also present: Jonathan", fontname="helv", fontsize=11)
    p.insert_text((72, 174), "Rodriguez and Agent Smithson of the field office.",
                  fontname="helv", fontsize=11)
    stamp(p, 1)

    # a scan: text drawn into a picture at 200 dpi, with the OCR layer invisible on top
    scale = 200 / 72
    img = Image.new("L", (int(W * scale), int(H * scale)), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(_font(), int(14 * scale))
    lines = [(72, 120, "Scanned statement of Rodriguez"), (72, 160, "Scanned neighbour line here"),
             (440, 770, bates(2))]
    for x, y, t in lines:
        d.text((x * scale, (y - 12) * scale), t, fill=0, font=font)
    scan = work / "scan.png"
    img.save(scan)
    p = doc.new_page(width=W, height=H)
    p.insert_image(p.rect, filename=str(scan))
    for x, y, t in lines:
        p.insert_text((x, y), t, fontname="helv", fontsize=14, render_mode=3)

    p = doc.new_page(width=W, height=H)
    p.insert_text((72, 100), "Record of the encounter, released in part.", fontname="helv",
                  fontsize=11)
    p.draw_rect(fitz.Rect(72, 120, 300, 150), color=(0, 0, 0), fill=(0, 0, 0))
    p.insert_text((310, 140), "(b)(6), (b)(7)(C)", fontname="helv", fontsize=10)
    p.insert_text((72, 190), "The remainder of the page is released.", fontname="helv",
                  fontsize=11)
    stamp(p, 3)
    doc.set_metadata({"title": "Production", "author": "FOIA office", "subject": NAME})
    doc.save(out, garbage=3, deflate=True)
    return out


def _font() -> str:
    for cand in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                 "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"):
        if Path(cand).exists():
            return cand
    found = subprocess.run(["fc-match", "-f", "%{file}", "sans"], capture_output=True, text=True)
    return found.stdout.strip()


def pdftotext(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(args + [str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def all_pdf_text(path: Path) -> str:
    """What every independent reader finds in the file: pdftotext, pypdf, pdfminer, and the
    raw decompressed streams and strings (pikepdf)."""
    import pikepdf
    import pypdf
    from pdfminer.high_level import extract_text

    parts = [pdftotext(path), subprocess.run(["pdftotext", "-raw", str(path), "-"],
                                             capture_output=True, text=True).stdout]
    r = pypdf.PdfReader(str(path))
    parts += [pg.extract_text() or "" for pg in r.pages]
    parts.append(json.dumps({k: str(v) for k, v in (r.metadata or {}).items()}))
    parts.append(extract_text(str(path)))
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            try:
                if isinstance(obj, pikepdf.Stream):
                    parts.append(obj.read_bytes().decode("latin-1"))
                elif isinstance(obj, pikepdf.String):
                    parts.append(str(obj))
                elif isinstance(obj, pikepdf.Dictionary):
                    parts.append(repr(obj))
            except Exception:  # an image stream with a filter pikepdf cannot undo: not text
                pass
    return "\n".join(parts)


def norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", s.casefold())


def tricky_pdf(out: Path) -> Path:
    """A PDF written by hand (raw content streams through pikepdf), the ways real generators
    place text: letter-spaced with Tc, letters placed one by one right to left, kerned TJ
    pieces, a hex string, text outside the CropBox and text hidden by a clip path; the name also
    in the document info, an outline entry and a note annotation."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica,
                                                Encoding=pikepdf.Name.WinAnsiEncoding))
    one_by_one = "".join(f"BT /F1 12 Tf {72 + 7.3 * i:.1f} 600 Td ({c}) Tj ET\n"
                         for i, c in reversed(list(enumerate(NAME))))
    hexname = NAME.encode().hex().upper()
    content = (
        "BT /F1 12 Tf 72 720 Td (Keepalpha line above the spaced name) Tj ET\n"
        "BT /F1 12 Tf 4 Tc 72 700 Td (Rodriguez) Tj 0 Tc ( keepbeta) Tj ET\n"
        "BT /F1 12 Tf 72 680 Td (Keepgamma line below the spaced name) Tj ET\n"
        + one_by_one +
        "BT /F1 12 Tf 72 560 Td [(Ro) -15 (dri) 20 (guez)] TJ ( keepdelta) Tj ET\n"
        f"BT /F1 12 Tf 72 520 Td <{hexname}> Tj ( keepepsilon) Tj ET\n"
        "BT /F1 12 Tf 72 60 Td (Rodriguez outside the crop box) Tj ET\n"
        "q 300 300 10 10 re W n BT /F1 12 Tf 72 400 Td (Rodriguez clipped away) Tj ET Q\n"
        "BT /F1 12 Tf 72 440 Td (Keepzeta line stays) Tj ET\n"
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792], CropBox=[0, 100, 612, 792],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(content.encode("latin-1")))
    pdf.pages.append(pikepdf.Page(page))
    annot = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[400, 700, 420, 720],
        Contents=pikepdf.String("Reviewer note: Rodriguez is the witness")))
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([annot]))
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Statement of Rodriguez", 0))
    pdf.docinfo["/Author"] = "Clerk Rodriguez"
    with pdf.open_metadata() as meta:
        meta["dc:title"] = "Rodriguez file"
    pdf.save(out)
    return out


def rotated_page_pdf(out: Path, rotate: int, crop: list[float] | None) -> tuple[Path, str]:
    """One page with three words 50 pt apart, /Rotate ``rotate`` and an optional CropBox away
    from the MediaBox origin, as scanners and imposition tools write them. Returns the file and
    the middle word's box in displayed points (origin top-left of the CropBox, rotation
    applied), grown by 3 pt, as `redact page --rect` takes it."""
    import pikepdf

    content = (b"BT /F1 14 Tf 100 500 Td (Alphaword) Tj ET "
               b"BT /F1 14 Tf 100 450 Td (Secretword) Tj ET "
               b"BT /F1 14 Tf 100 400 Td (Gammaword) Tj ET")
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792], Rotate=rotate,
                              Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                              Contents=pdf.make_stream(content))
    if crop:
        page.CropBox = crop
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(out)
    x0, y0, x1, y1 = crop or [0, 0, 612, 792]
    w, h = x1 - x0, y1 - y0
    pts = []
    for x, y in ((97, 444), (174, 463)):  # "Secretword" in user space, grown by 3 pt
        u, v = x - x0, y1 - y
        pts.append({0: (u, v), 90: (h - v, u), 180: (w - u, h - v), 270: (v, w - u)}[rotate])
    xs, ys = sorted(p[0] for p in pts), sorted(p[1] for p in pts)
    return out, f"{xs[0]:g},{ys[0]:g},{xs[1]:g},{ys[1]:g}"
