import fs from 'node:fs';
import { importText } from '../documents/import';
import { validateDocumentModel } from '../documents/model';
import { DocumentRenderer } from '../documents/render';
import { UsageError } from './cli-error';

function readText(file: string, what: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`无法读取${what}“${file}”：${(err as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (err as Error).message}`);
  }
  if (!text.trim()) throw new UsageError(`${what}“${file}”是空的`);
  return text;
}

/** import-text: plain-text directive → document model JSON; unplaced text is kept and listed as warnings. */
export function importTextCommand(file: string, out: string): void {
  const { model, warnings } = (() => {
    try {
      return importText(readText(file, '文本文件'));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError((err as Error).message);
    }
  })();
  fs.writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`);
  for (const w of warnings) process.stderr.write(`警告：${w}\n`);
  process.stdout.write(`已导入：${out}\n`);
}

/** render: document model JSON → PDF (or the HTML preview with --html). */
export async function renderCommand(file: string, out: string, opts: { html?: boolean; chromePath: string }): Promise<void> {
  let input: unknown;
  try {
    input = JSON.parse(readText(file, '公文模型文件'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`公文模型文件“${file}”不是合法的 JSON：${(err as Error).message}`);
  }
  const result = validateDocumentModel(input);
  if (!result.ok) {
    throw new UsageError(`公文模型有 ${result.errors.length} 处错误：\n${result.errors.map((e) => `  ${e.field}：${e.message}`).join('\n')}`);
  }
  const renderer = new DocumentRenderer({ chromePath: opts.chromePath });
  await renderer.start();
  try {
    if (opts.html) fs.writeFileSync(out, await renderer.renderHtml(result.model));
    else fs.writeFileSync(out, await renderer.renderPdf(result.model));
  } finally {
    await renderer.close();
  }
  process.stdout.write(`已生成：${out}\n`);
}
