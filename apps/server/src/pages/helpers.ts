import type Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import fs from 'node:fs';
import path from 'node:path';
import { ZONE } from '../calendar/working-calendar';

/** Template helpers for the task UI. Dates are shown in Asia/Shanghai. */
export function registerPageHelpers(hb: typeof Handlebars, partialsDir: string): void {
  // Registered synchronously by file name (hbs.registerPartials is asynchronous and renames `-` to `_`).
  for (const file of fs.readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hb.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('get', (obj: Record<string, unknown> | undefined, key: string) => obj?.[key]);
  hb.registerHelper('datetime', (d: Date | string | undefined) => (d ? DateTime.fromJSDate(new Date(d), { zone: ZONE }).toFormat('yyyy年M月d日 HH:mm') : ''));
  hb.registerHelper('date', (d: Date | string | undefined) => (d ? DateTime.fromJSDate(new Date(d), { zone: ZONE }).toFormat('yyyy年M月d日') : ''));
}
