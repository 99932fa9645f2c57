"""Pictures kept in a PDF export carry none of their own metadata: a JPEG's EXIF
(ImageDescription, Artist, XPAuthor), XMP packet and comment segment, as cameras, scanners
and Windows write them, are gone from the export, read back by pypdf and Pillow (not our
parser), while the picture itself decodes to the same pixels; the export's checks refuse a
file where a picture still carries them."""
from __future__ import annotations

import io

import pymupdf
import pypdf
import pytest
from PIL import Image

from export.conftest import apply
from reviewer.export.pdf import export_pdf
from reviewer.pdf.search import find_matches
from reviewer.session.redactions import add_page_boxes

SECRET = "Rodriguez"


def _jpeg(colour, *, progressive: bool = False) -> bytes:
    img = Image.new("RGB", (240, 120), colour)
    for x in range(0, 240, 8):  # some detail, so the entropy-coded data is not trivial
        for y in range(0, 120, 4):
            img.putpixel((x, y), (x % 256, y * 2 % 256, 90))
    exif = Image.Exif()
    exif[0x010E] = f"Photo of {SECRET} at the station"  # ImageDescription
    exif[0x013B] = f"{SECRET} Photography"  # Artist
    exif[0x9C9D] = f"{SECRET}".encode("utf-16-le") + b"\0\0"  # XPAuthor
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, exif=exif, comment=f"taken by {SECRET}".encode(), progressive=progressive,
             xmp=f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{SECRET}</dc:creator></x:xmpmeta>'.encode())
    data = buf.getvalue()
    assert data.count(SECRET.encode()) >= 4 and data.count("R\0o\0d\0".encode()) == 1
    return data


def _png() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET)
    info.add_itxt("Description", f"about {SECRET}")
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 160, 20)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


@pytest.fixture
def photo_pdf(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 60), "Exhibit 4: photographs from the scene, taken by Garcia.", fontsize=11)
    page.insert_image(pymupdf.Rect(72, 80, 312, 200), stream=_jpeg((200, 60, 60)))
    page.insert_image(pymupdf.Rect(72, 220, 312, 340), stream=_jpeg((60, 60, 200), progressive=True))
    page.insert_image(pymupdf.Rect(330, 80, 390, 120), stream=_png())
    # a third JPEG partly under a box: MuPDF rewrites its pixels, it must come out clean too
    page.insert_image(pymupdf.Rect(72, 360, 312, 480), stream=_jpeg((60, 200, 60)))
    path = tmp_path / "photos.pdf"
    doc.save(str(path))
    doc.close()
    return path


def _pdf_jpegs(path) -> list[bytes]:
    """Every image's stored bytes as pypdf reads them."""
    reader = pypdf.PdfReader(str(path))
    images = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for name in xobjects:
            x = xobjects[name].get_object()
            if x.get("/Subtype") == "/Image":
                images.append((x.get("/Filter"), x._data, x))
    return images


def test_kept_pictures_lose_their_metadata_and_keep_their_pixels(photo_pdf, make_case, tmp_path):
    store, (media,) = make_case(photo_pdf)
    boxes = [(m.page_no, r) for m in find_matches(photo_pdf, "Garcia") for r in m.rects]
    boxes.append((1, (100.0, 400.0, 160.0, 440.0)))  # over a part of the third photograph
    apply(store, add_page_boxes(media["id"], boxes, reason="b6"))
    before = [bytes(d) for f, d, _x in _pdf_jpegs(photo_pdf) if f == "/DCTDecode"]
    assert len(before) == 3
    out = tmp_path / "out.pdf"
    result = export_pdf(store, media, out)
    lines = {c.name: c for c in result.checks}
    assert lines["picture metadata"].ok and "JPEG picture(s) parsed" in lines["picture metadata"].detail
    assert "picture metadata removed" in lines, [c.line() for c in result.checks]

    raw = out.read_bytes()
    assert SECRET.encode() not in raw and "R\0o\0d\0r\0".encode() not in raw
    images = _pdf_jpegs(out)
    assert len(images) == 4
    jpegs = [bytes(d) for f, d, _x in images if f == "/DCTDecode"]
    assert len(jpegs) >= 2  # the two photographs away from the box are still the same JPEGs
    for data in jpegs:
        img = Image.open(io.BytesIO(data))
        img.load()
        assert not img.getexif(), "EXIF left"
        assert not {"exif", "comment", "xmp", "XML:com.adobe.xmp"} & set(img.info), img.info
        assert b"Exif" not in data and b"xmpmeta" not in data and SECRET.encode() not in data
    # the same picture, bit for bit: every decoded pixel of each untouched photograph
    originals = [Image.open(io.BytesIO(d)) for d in before]
    kept = [Image.open(io.BytesIO(d)) for d in jpegs]
    same = [k for k in kept if any(k.tobytes() == o.tobytes() for o in originals)]
    assert len(same) >= 2
    # pypdf's own decoding of every picture, the PNG among them: no text chunk, no name
    for page in pypdf.PdfReader(str(out)).pages:
        for image in page.images:
            assert SECRET not in str(image.image.info) and SECRET.encode() not in image.data


def test_the_check_refuses_a_picture_that_still_carries_metadata(tmp_path):
    """verify reads each JPEG of a file: one written with EXIF, XMP and a comment is refused,
    the same file with the picture rewritten passes."""
    from reviewer.export.pdf_images import image_metadata_check, strip_image_metadata

    doc = pymupdf.open()
    doc.new_page().insert_image(pymupdf.Rect(72, 72, 312, 192), stream=_jpeg((90, 90, 90)))
    check = image_metadata_check(doc)
    assert not check.ok and "APP1" in check.detail and "COM" in check.detail
    assert strip_image_metadata(doc) == 1
    assert image_metadata_check(doc).ok
    path = tmp_path / "clean.pdf"
    doc.save(str(path), garbage=4, deflate=True)
    with pymupdf.open(str(path)) as again:
        assert image_metadata_check(again).ok


def test_a_damaged_jpeg_segment_list_is_not_passed():
    from reviewer.pdf.jpeg_meta import metadata_segments, strip_metadata

    data = _jpeg((10, 10, 10))
    assert metadata_segments(data[:200]) == ["unparsable"] and strip_metadata(data[:200]) is None
    assert "bytes after EOI" in metadata_segments(strip_metadata(data) + f"notes on {SECRET}".encode())


def test_a_jpeg_2000_picture_is_kept_as_its_pixels_without_its_comment(tmp_path):
    from reviewer.export.pdf_images import image_metadata_check, strip_image_metadata

    buf = io.BytesIO()
    Image.new("RGB", (80, 40), (200, 50, 50)).save(buf, "JPEG2000", comment=f"{SECRET} was here".encode())
    assert SECRET.encode() in buf.getvalue()
    doc = pymupdf.open()
    doc.new_page().insert_image(pymupdf.Rect(72, 72, 152, 112), stream=buf.getvalue())
    assert not image_metadata_check(doc).ok
    assert strip_image_metadata(doc) == 1 and image_metadata_check(doc).ok
    path = tmp_path / "jpx.pdf"
    doc.save(str(path), garbage=4, deflate=True)
    assert SECRET.encode() not in path.read_bytes()
    (image,) = pypdf.PdfReader(str(path)).pages[0].images
    assert image.image.convert("RGB").getpixel((40, 20)) == (200, 50, 50)
