/**
 * Geometry of GB/T 9704-2012 in millimetres, measured from the top of the text area
 * (37 mm below the page top). Font metric ratios were calibrated on the shipped
 * stand-in fonts from the PDF raster (see test/integration/documents).
 */
export const LINE_MM = 225 / 22; // one grid line
export const TEXT_WIDTH_MM = 156;
export const PT_MM = 25.4 / 72;

/** Ink top of a 小标宋 hanzi below its line-height:1 box top, as a share of the font size. */
export const XBS_INK_TOP = 0.066;
/** Ink height of a 小标宋 hanzi, as a share of the font size. */
export const XBS_INK_HEIGHT = 0.93;
/** 仿宋 16 pt on a grid line: ink bottom of a hanzi below the line-box top. */
export const FS_INK_BOTTOM_MM = 8.2;

/** 发文机关标志: preferred glyph height, and the narrowest horizontal compression before shrinking instead. */
export const MARK_SIZE_MM = 15;
export const MARK_MIN_SCALE = 0.55;
export const MARK_TOP_MM = 35; // ink top below the text-area top (72 mm from the page top)
export const ORDER_MARK_TOP_MM = 20;
export const RED_RULE_MM = 0.5; // thickness is not set by the standard; 0.5 mm reads as a 红线 in print
export const RULE_GAP_MM = 4; // red separator below the 发文字号
/**
 * Party organs' separator (the 党的机关公文 form county offices print): a red five-pointed star in the middle
 * of the rule, which breaks around it. Circumradius 3 mm: the star is 5.7 mm wide and 5.4 mm high, the rule
 * stops 1 mm short of its points on either side.
 */
export const STAR_RADIUS_MM = 3;
export const STAR_GAP_MM = 1;

export const LETTER_MARK_SIZE_MM = 13;
