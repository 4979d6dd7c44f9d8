export { DocumentRenderer, DocumentRendererOptions, DEFAULT_FONT_DIR } from './document-renderer';
export { MissingGlyphError, RenderTimeoutError } from './missing-glyph.error';
export { DocumentHtmlBuilder } from './document-html.builder';
