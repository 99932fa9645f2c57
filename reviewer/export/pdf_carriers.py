"""Text the export's pages still reach outside their content streams, taken out.

The pages keep what draws them: fonts, pictures, form XObjects, graphics states, soft masks,
patterns. Those dictionaries can carry words of their own that no box reaches:

- marked-content property lists named by the content (``/Span /MC0 BDC`` with /MC0 in the
  resources' /Properties, directly or as its own object, in a page, a form or a soft mask's
  group), with /ActualText, /Alt or /E strings;
- a producer's private keys (``/ACME_Owner (name)``, /PieceInfo) on any of them;
- descriptive strings a font or picture may carry (/FontFamily, /CharSet, /Lang);
- the name of a font made for a person (``/BaseFont /Rodriguez-Signature``);
- a simple font's /Differences, which lists glyph names in the order its producer first used
  them, so that they spell the first word set in the font.

Every dictionary reachable in the document is walked: a string goes unless its key needs one
to draw (a CID font's /Registry and /Ordering, a colour table), a key that is not one the
PDF standard defines for drawing goes when its value holds any string or name. A font name
that spells a redacted string is replaced by a neutral one, and a /Differences that spells
one is put in the order of its glyph names, every string drawn with the font re-coded to
match (reviewer.export.pdf_reencode). verify's text check still reads every object for what
is left.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import pymupdf

from reviewer.export.checks import Check
from reviewer.pdf.redacted import normalise

m = pymupdf.mupdf

# keys the PDF standard defines for what the exported pages still hold (resources, fonts,
# pictures, forms, graphics states, patterns, shadings, functions, colour spaces, layers,
# filters, halftones), and the page tree's own
STANDARD = set("""
Type Subtype Length Filter DecodeParms F FFilter FDecodeParms DL N
Font XObject ExtGState ColorSpace Pattern Shading ProcSet Properties Resources
BaseFont FirstChar LastChar Widths FontDescriptor Encoding ToUnicode DescendantFonts FontBBox FontMatrix
CharProcs Name CIDSystemInfo DW W DW2 W2 CIDToGIDMap Registry Ordering Supplement BaseEncoding Differences
FontName FontStretch FontWeight Flags ItalicAngle Ascent Descent Leading CapHeight XHeight StemV StemH
AvgWidth MaxWidth MissingWidth FontFile FontFile2 FontFile3 Style FD CIDSet Panose Length1 Length2 Length3
CMapName UseCMap WMode
Width Height BitsPerComponent Intent ImageMask Mask Decode Interpolate Alternates SMask SMaskInData Matte OC
FormType BBox Matrix Group S CS I K
LW LC LJ ML D RI OP op OPM BG BG2 UCR UCR2 TR TR2 HT FL SM SA BM CA ca AIS TK UseBlackPtComp HTO G BC
PatternType PaintType TilingType XStep YStep
ShadingType Background AntiAlias Coords Domain Function Extend BitsPerCoordinate BitsPerFlag VerticesPerRow
FunctionType Range Size BitsPerSample Order Encode C0 C1 Functions Bounds
WhitePoint BlackPoint Gamma Alternate Colorants Process Components MixingHints Solidities DotGain PrintingOrder
OCGs P VE Usage
HalftoneType Frequency Angle SpotFunction AccurateScreens TransferFunction Width2 Height2 Xsquare Ysquare
Predictor Colors Columns EarlyChange EndOfLine EncodedByteAlign Rows EndOfBlock BlackIs1
DamagedRowsBeforeError JBIG2Globals ColorTransform
Parent Kids Count MediaBox CropBox BleedBox TrimBox ArtBox Contents Rotate UserUnit
Pages Version PageLayout PageMode
""".split())
NAME_MAPS = {"Font", "XObject", "ExtGState", "ColorSpace", "Pattern", "Shading", "Properties", "CharProcs",
             "Colorants"}  # dictionaries whose keys are names a producer chose
STRING_KEYS = {"Registry", "Ordering", "Panose"}  # strings a drawing needs
STANDARD_14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
               "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
               "Times-BoldItalic", "Symbol", "ZapfDingbats"}


def _carries(obj: object, depth: int = 0) -> bool:
    """``obj`` (direct parts only) holds a string or a name."""
    if m.pdf_is_indirect(obj):
        return True  # whatever it points at is the private key's: it goes with the key
    if m.pdf_is_string(obj) or m.pdf_is_name(obj):
        return True
    if depth > 20:
        return True
    if m.pdf_is_array(obj):
        return any(_carries(m.pdf_array_get(obj, i), depth + 1) for i in range(m.pdf_array_len(obj)))
    if m.pdf_is_dict(obj):
        return any(_carries(m.pdf_dict_get_val(obj, i), depth + 1) for i in range(m.pdf_dict_len(obj)))
    return False


def _walk(pdf: object, obj: object, counts: dict[str, int], wanted: list[str], depth: int = 0,
          names: bool = False) -> None:
    """``names``: ``obj`` maps names of the producer's choosing (resource names, glyph names)."""
    if depth > 30 or m.pdf_is_indirect(obj):
        return  # an indirect object is walked as itself
    if m.pdf_is_array(obj):
        for i in range(m.pdf_array_len(obj)):
            _walk(pdf, m.pdf_array_get(obj, i), counts, wanted, depth + 1)
        return
    if not m.pdf_is_dict(obj):
        return
    kind = m.pdf_to_name(m.pdf_dict_get(obj, m.pdf_new_name("Type")))
    if kind == "Annot":
        return  # left over from applied redactions, unreferenced: not saved (garbage collection)
    if kind in ("XRef", "ObjStm"):
        return  # the file's own structure, written anew on save
    if kind in ("Page", "Pages", "Catalog"):
        # kept to their drawing keys by reviewer.export.pdf.scrub; their resources are walked
        for key in ("Resources", "Group"):
            _walk(pdf, m.pdf_dict_get(obj, m.pdf_new_name(key)), counts, wanted, depth + 1)
        return
    keys = [m.pdf_to_name(m.pdf_dict_get_key(obj, i)) for i in range(m.pdf_dict_len(obj))]
    for key in keys:
        val = m.pdf_dict_get(obj, m.pdf_new_name(key))
        if m.pdf_is_string(val) and key not in STRING_KEYS and not (kind == "OCG" and key == "Name"):
            m.pdf_dict_del(obj, m.pdf_new_name(key))
            counts["strings"] += 1
        elif not names and key not in STANDARD:
            if _carries(val):
                m.pdf_dict_del(obj, m.pdf_new_name(key))
                counts["private keys"] += 1
            # else numbers only: nothing in it to take out
        else:
            if key == "Font" and m.pdf_is_dict(val) and not m.pdf_is_indirect(val):
                # fonts written inside the resources become objects of their own, so that
                # an encoding can be re-coded (reviewer.export.pdf_reencode)
                for i in range(m.pdf_dict_len(val)):
                    font = m.pdf_dict_get_val(val, i)
                    if m.pdf_is_dict(font) and not m.pdf_is_indirect(font):
                        _walk(pdf, font, counts, wanted, depth + 2)
                        m.pdf_dict_put(val, m.pdf_dict_get_key(val, i), m.pdf_add_object(pdf, font))
            _walk(pdf, val, counts, wanted, depth + 1, names=not names and key in NAME_MAPS)
    name_key = {"Font": "BaseFont", "FontDescriptor": "FontName"}.get(kind)
    if name_key and wanted:
        name = m.pdf_dict_get(obj, m.pdf_new_name(name_key))
        text = m.pdf_to_name(name) if m.pdf_is_name(name) else ""
        if text and text not in STANDARD_14 and _spells(text, wanted):
            m.pdf_dict_put(obj, m.pdf_new_name(name_key), m.pdf_new_name(f"Font{counts['font names'] + 1}"))
            counts["font names"] += 1


_NAME = re.compile(r"/([^\s/\[\]<>()%{}]+)")
_MAP_REF = re.compile(r"/(?:" + "|".join(sorted(NAME_MAPS)) + r")\s+(\d+)\s+0\s+R")
_HEX_STRING = re.compile(r"(?<!<)<(?!<)[0-9A-Fa-f\s]*>")


def _plain(text: str) -> bool:
    """An object's text holds no string and only names the standard defines: nothing to take
    out (most objects of an export: content streams, pictures, font programs, arrays)."""
    return "(" not in text and not _HEX_STRING.search(text) and all(
        n in STANDARD or n in _COMMON_VALUES or n in STANDARD_14 for n in _NAME.findall(text))


def _spells(text: str, wanted: list[str]) -> bool:
    flat = normalise(text)
    return any(w in flat or w in flat[::-1] for w in wanted)


def remove_carriers(doc: pymupdf.Document, redacted: Iterable[str]) -> dict[str, int]:
    """Take out of ``doc`` every string and private key its drawing does not need, and the
    font names and /Differences that spell a ``redacted`` string (normalised, as verify
    searches); how many of each went."""
    from reviewer.export.pdf_reencode import reencode_font

    wanted = [w for w in redacted if w]
    counts = {"strings": 0, "private keys": 0, "font names": 0, "font encodings": 0}
    pdf = m.pdf_document_from_fz_document(doc.this)
    texts: dict[int, str] = {}
    for xref in range(1, doc.xref_length()):
        try:
            texts[xref] = doc.xref_object(xref, compressed=True)
        except Exception:  # noqa: BLE001, S112 - a free or broken object
            continue
    # a resource dictionary written as its own object (/ExtGState 12 0 R) maps names its
    # producer chose (/pgfprgb, /x97): walked as a map, or the drawing loses what they name
    maps = {int(x) for text in texts.values() for x in _MAP_REF.findall(text)}
    for xref, text in texts.items():
        if _plain(text):
            continue
        try:
            obj = m.pdf_load_object(pdf, xref)
        except Exception:  # noqa: BLE001, S112
            continue
        _walk(pdf, obj, counts, wanted, names=xref in maps)
    if not wanted:
        return counts
    from reviewer.export.pdf_fontprog import scrub_font_programs

    counts["font programs"] = scrub_font_programs(doc, wanted)
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Type")[1] != "/Font":
                continue
        except Exception:  # noqa: BLE001, S112
            continue
        t, diffs = doc.xref_get_key(xref, "Encoding/Differences")
        if t == "array" and _spells(" ".join(re.findall(r"/([^\s/\[\]]+)", diffs)), wanted):
            counts["font encodings"] += reencode_font(doc, xref)
    return counts


def clean_outside(doc: pymupdf.Document, redacted: Iterable[str]) -> list[Check]:
    """Everything outside the pages' content that could still carry what was redacted, taken
    out just before the export is saved; report lines for what went."""
    from reviewer.export.pdf_images import strip_image_metadata

    out = []
    gone = [f"{n} {what}" for what, n in remove_carriers(doc, redacted).items() if n]
    if gone:
        out.append(Check("text outside the pages removed", True, ", ".join(gone) + " (marked-content properties, "
                         "private keys, font names or encodings that could spell what was redacted)"))
    pictures = strip_image_metadata(doc)
    if pictures:
        out.append(Check("picture metadata removed", True, f"{pictures} picture(s) rewritten without their EXIF, "
                         "XMP, comments or other application segments"))
    return out


def name_values(text: str) -> str:
    """The names in an object's text that are not keys or values the standard defines, in
    order (a /Differences array's glyph names, a font's own name), to be searched."""
    out = []
    for token in re.findall(r"/([^\s/\[\]<>()%{}]+)", text):
        if token not in STANDARD and token not in STANDARD_14 and token not in _COMMON_VALUES:
            out.append(token)
    return " ".join(out)


_COMMON_VALUES = set("""
Font XObject Image Form Type0 Type1 Type3 TrueType CIDFontType0 CIDFontType2 MMType1 Type1C CIDFontType0C OpenType
WinAnsiEncoding MacRomanEncoding MacExpertEncoding StandardEncoding Identity-H Identity-V Identity
FlateDecode DCTDecode JPXDecode LZWDecode ASCII85Decode ASCIIHexDecode RunLengthDecode CCITTFaxDecode JBIG2Decode
DeviceRGB DeviceGray DeviceCMYK ICCBased Indexed Separation DeviceN Pattern CalRGB CalGray Lab
Transparency Luminosity Alpha ExtGState Normal Multiply Screen Overlay Darken Lighten
PDF Text ImageB ImageC ImageI OCG OCMD View Design Print Export Encoding FontDescriptor Page Pages Catalog
Perceptual RelativeColorimetric AbsoluteColorimetric Saturation All None AllOn AnyOn AnyOff AllOff
""".split())
