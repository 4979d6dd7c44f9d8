#!/usr/bin/python3
"""Convert one CFF (.otf/.ttc face) to TrueType outlines with a new family name.

Why: Chromium embeds CFF CJK fonts in PDFs as unnamed Type 3 fonts (pdffonts cannot
name them, pdftotext misplaces them) and prints them slowly; TrueType fixes both.
A TrueType source (a previous output) only gets the name and cmap fixes, which is quick.
Usage: otf-to-ttf.py SRC DEST FAMILY PSNAME [FACE_SUBSTRING]
FACE_SUBSTRING picks the face of a .ttc by its family name (e.g. " SC").
"""
import sys
from fontTools.ttLib import TTFont, TTCollection, newTable
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen


def load(src, face):
    if src.lower().endswith(".ttc"):
        for font in TTCollection(src).fonts:
            if face in str(font["name"].getDebugName(1)):
                return font
        raise SystemExit(f"no face matching {face!r} in {src}")
    return TTFont(src)


def to_truetype(font):
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 3.0  # CID fonts have no meaningful glyph names; keeps the file small
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\000\001\000\000"


def rename(font, family, psname):
    name = font["name"]
    name.names = [n for n in name.names if n.nameID not in (1, 2, 3, 4, 6, 16, 17, 21, 22)]
    for nid, value in ((1, family), (2, "Regular"), (3, psname), (4, family), (6, psname)):
        name.setName(value, nid, 3, 1, 0x409)
        name.setName(value, nid, 1, 0, 0)
    # A single regular face, so CSS font-weight:normal never triggers synthetic bold.
    font["OS/2"].usWeightClass = 400
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b100001) | 0b1000000
    font["head"].macStyle = 0


def drop_radical_aliases(font):
    """Unmap Kangxi / CJK radicals (U+2E80-U+2FDF) that share a glyph with an ideograph.

    Why: Chromium's PDF ToUnicode maps each glyph back to its lowest code point, so with
    these aliases 大 is extracted as the radical ⼤ (U+2F24): search and copy-paste break.
    """
    for table in font["cmap"].tables:
        if not table.isUnicode():
            continue
        used = {g for cp, g in table.cmap.items() if cp >= 0x3000}
        for cp in [cp for cp, g in table.cmap.items() if 0x2E80 <= cp <= 0x2FDF and g in used]:
            del table.cmap[cp]


def main():
    src, dest, family, psname = sys.argv[1:5]
    face = sys.argv[5] if len(sys.argv) > 5 else ""
    font = load(src, face)
    if "CFF " in font:
        to_truetype(font)
    rename(font, family, psname)
    drop_radical_aliases(font)
    font.save(dest + ".tmp")
    import os
    os.replace(dest + ".tmp", dest)


if __name__ == "__main__":
    main()
