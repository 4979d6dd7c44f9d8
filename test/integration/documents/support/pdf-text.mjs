// Prints the text items of a PDF as JSON (pdf.js legacy build). A separate Node process
// because Jest's CommonJS runtime cannot import() the ES-module build of pdf.js.
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { getDocument } = await import(require.resolve('pdfjs-dist/legacy/build/pdf.mjs'));
const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(process.argv[2])), verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const [, , w, h] = page.view;
  const tc = await page.getTextContent();
  pages.push({
    width: w,
    height: h,
    items: tc.items
      .filter((it) => it.str && it.str.trim())
      .map((it) => ({
        str: it.str,
        x: it.transform[4],
        y: it.transform[5],
        size: Math.hypot(it.transform[2], it.transform[3]),
        width: it.width,
        font: it.fontName,
      })),
  });
}
process.stdout.write(JSON.stringify(pages));
