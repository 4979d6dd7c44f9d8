/** A character none of the shipped 公文 fonts can draw; it would print as an empty box. */
export class MissingGlyphError extends Error {
  readonly code = 'DOCUMENT_MISSING_GLYPH';
  constructor(
    readonly characters: string[],
    readonly fields: string[],
  ) {
    super(
      `公文字体缺少以下字符的字形，无法排版：${characters
        .map((c) => `“${c}”(U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`)
        .join('、')}；所在字段：${fields.join('、')}`,
    );
    this.name = 'MissingGlyphError';
  }
}

/** A render that did not finish within timeoutMs. */
export class RenderTimeoutError extends Error {
  readonly code = 'DOCUMENT_RENDER_TIMEOUT';
  constructor(ms: number) {
    super(`公文排版超时（${ms} 毫秒）`);
    this.name = 'RenderTimeoutError';
  }
}
