import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { DocumentFormat, DocumentModel } from '../model';
import { buildView } from './document-view';

const FORMATS: DocumentFormat[] = ['standard', 'letter', 'minutes', 'order'];

/** Finds templates/documents by walking up from this file (works from src and from dist). */
export function findTemplatesDir(start = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'templates', 'documents');
    if (fs.existsSync(path.join(candidate, 'standard.hbs'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`找不到公文模板目录 templates/documents（从 ${start} 向上查找）`);
  }
}

/** Compiles the document templates once; render() returns the body fragment and the page CSS. */
export class DocumentHtmlBuilder {
  readonly css: string;
  private readonly hbs = Handlebars.create();
  private readonly templates = new Map<DocumentFormat, Handlebars.TemplateDelegate>();

  constructor(templatesDir = findTemplatesDir()) {
    this.css = fs.readFileSync(path.join(templatesDir, 'gongwen.css'), 'utf8');
    this.hbs.registerHelper('mm', (n: number) => `${Math.round(n * 1000) / 1000}mm`);
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    const partials = path.join(templatesDir, 'partials');
    for (const file of fs.readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
      this.hbs.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(partials, file), 'utf8'));
    }
    for (const f of FORMATS) {
      this.templates.set(f, this.hbs.compile(fs.readFileSync(path.join(templatesDir, `${f}.hbs`), 'utf8'), { strict: false }));
    }
  }

  /** The document fragment that goes inside <body>. */
  fragment(model: DocumentModel): { html: string; pageCss: string } {
    const view = buildView(model);
    const html = this.templates.get(view.format)!(view);
    // 信函格式 styles its first page (margin, double lines, no page number).
    const pageCss = view.letter?.pageCss ?? '';
    return { html, pageCss };
  }

  /** A complete standalone HTML page (the preview). */
  page(model: DocumentModel): string {
    const { html, pageCss } = this.fragment(model);
    return shell(this.css, pageCss, html, Handlebars.escapeExpression(model.title));
  }
}

export function shell(css: string, pageCss: string, body: string, title = '公文'): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title><style>${css}</style><style id="page-css">${pageCss}</style></head><body>${body}</body></html>`;
}
