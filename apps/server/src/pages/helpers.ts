import type Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import fs from 'node:fs';
import path from 'node:path';
import { ZONE } from '../calendar/working-calendar';
import { LATER_SCRIPTS_LOADER, laterScriptTag } from './later-scripts';
import type { StaticAssets } from './static-assets';

/**
 * Template helpers for the task UI. Dates are shown in Asia/Shanghai. Scripts and style sheets are linked by their
 * versioned URLs (`{{asset "app.css"}}`); a page's scripts are listed with `{{script "live.js"}}` (a name under /static/,
 * or a path of this site) and run after the first paint (later-scripts.ts), started by `{{laterScriptsLoader}}` in the layout.
 */
export function registerPageHelpers(hb: typeof Handlebars, partialsDir: string, assets: StaticAssets): void {
  // Registered synchronously by file name (hbs.registerPartials is asynchronous and renames `-` to `_`).
  for (const file of fs.readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hb.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  hb.registerHelper('asset', (name: string) => new hb.SafeString(assets.url(name)));
  hb.registerHelper('script', (name: string) => new hb.SafeString(laterScriptTag(name.startsWith('/') ? name : assets.url(name))));
  hb.registerHelper('laterScriptsLoader', () => new hb.SafeString(`<script>${LATER_SCRIPTS_LOADER}</script>`));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('get', (obj: Record<string, unknown> | undefined, key: string) => obj?.[key]);
  hb.registerHelper('datetime', (d: Date | string | undefined) => (d ? DateTime.fromJSDate(new Date(d), { zone: ZONE }).toFormat('yyyy年M月d日 HH:mm') : ''));
  hb.registerHelper('date', (d: Date | string | undefined) => (d ? DateTime.fromJSDate(new Date(d), { zone: ZONE }).toFormat('yyyy年M月d日') : ''));
}
