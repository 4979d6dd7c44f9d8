#!/usr/bin/python3
"""Write a small subset of a converted font: GB 2312 (its 6,763 hanzi and symbols),
ASCII, Latin-1 and the CJK / full-width punctuation, under a new family name.

Why: Chromium's PDF printer pays for every embedded font in proportion to the font
file (a full Noto CJK TrueType is 31 MB); a GB 2312 subset prints several times faster.
The full font stays installed under its own family and follows in every font stack, so
a rarer character still prints (it is then embedded from the full font).
Usage: subset-common.py SRC DEST FAMILY PSNAME [digits]
"digits" keeps only what page numbers need: "— 0-9".
"""
import sys
from fontTools import subset
from fontTools.ttLib import TTFont


def gb2312():
    cps = set()
    for row in range(0xA1, 0xF8):
        for col in range(0xA1, 0xFF):
            try:
                cps.add(ord(bytes([row, col]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return cps


def main():
    src, dest, family, psname = sys.argv[1:5]
    if len(sys.argv) > 5 and sys.argv[5] == "digits":
        cps = {0x20, 0xA0, 0x2014, *range(0x30, 0x3A)}
    else:
        cps = gb2312() | set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2010, 0x2040))
        cps |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0)) | {0x2605, 0x2606, 0x25CB, 0x25CF, 0x203B}
    font = TTFont(src)
    opts = subset.Options()
    opts.layout_features = []  # horizontal CJK needs no OpenType features; smaller fonts print faster
    opts.hinting = False
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=cps)
    sub.subset(font)
    name = font["name"]
    for nid, value in ((1, family), (3, psname), (4, family), (6, psname)):
        name.setName(value, nid, 3, 1, 0x409)
        name.setName(value, nid, 1, 0, 0)
    font.save(dest + ".tmp")
    import os
    os.replace(dest + ".tmp", dest)


if __name__ == "__main__":
    main()
