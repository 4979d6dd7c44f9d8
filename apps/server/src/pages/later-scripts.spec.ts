import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { LATER_SCRIPT_TYPE, LATER_SCRIPTS_LOADER, LATER_SCRIPTS_LOADER_HASH, laterScriptTag } from './later-scripts';

/** A document just parsed: the loader's view of it (the inert tags, body, frames, visibility). */
function fakeDocument(srcs: string[], visibility: 'visible' | 'hidden') {
  const added: { src: string; async: boolean; onload?: () => void; onerror?: () => void }[] = [];
  const attributes: Record<string, string> = {};
  const frames: (() => void)[] = [];
  const timers: (() => void)[] = [];
  const listeners: Record<string, () => void> = {};
  const document = {
    visibilityState: visibility,
    documentElement: { setAttribute: (k: string, v: string) => (attributes[k] = v) },
    querySelectorAll: (selector: string) => (selector === `script[type="${LATER_SCRIPT_TYPE}"]` ? srcs.map((s) => ({ getAttribute: () => s })) : []),
    createElement: () => ({ src: '', async: true }),
    body: { appendChild: (el: (typeof added)[number]) => added.push(el) },
    addEventListener: (type: string, fn: () => void) => (listeners[type] = fn),
  };
  runInNewContext(LATER_SCRIPTS_LOADER, {
    document,
    requestAnimationFrame: (fn: () => void) => frames.push(fn),
    setTimeout: (fn: () => void) => timers.push(fn),
  });
  return { added, attributes, frames, timers, listeners };
}

describe('the pages’ scripts after the first paint', () => {
  it('adds the listed scripts only after the first frame, in their order, and says when all have run', () => {
    const page = fakeDocument(['/static/live.js?v=a', '/static/app.js?v=b'], 'visible');
    expect(page.added).toEqual([]);
    page.frames.forEach((f) => f());
    expect(page.added).toEqual([]);
    page.timers.forEach((f) => f());
    expect(page.added.map((s) => [s.src, s.async])).toEqual([
      ['/static/live.js?v=a', false],
      ['/static/app.js?v=b', false],
    ]);
    page.added[0].onload?.();
    expect(page.attributes['data-scripts']).toBeUndefined();
    page.added[1].onerror?.();
    expect(page.attributes['data-scripts']).toBe('ready');
    page.listeners.visibilitychange?.();
    expect(page.added).toHaveLength(2);
  });

  it('adds them at once in a tab opened in the background (no frames there)', () => {
    const page = fakeDocument(['/static/app.js?v=b'], 'hidden');
    expect(page.added.map((s) => s.src)).toEqual(['/static/app.js?v=b']);
  });

  it('is allowed by the hash the Content-Security-Policy carries', () => {
    expect(LATER_SCRIPTS_LOADER_HASH).toBe(`'sha256-${createHash('sha256').update(LATER_SCRIPTS_LOADER).digest('base64')}'`);
  });

  it('lists only URLs of this site', () => {
    expect(laterScriptTag('/static/app.js?v=abc_-1')).toBe(`<script type="${LATER_SCRIPT_TYPE}" data-src="/static/app.js?v=abc_-1"></script>`);
    expect(() => laterScriptTag('https://cdn.example.com/x.js')).toThrow();
    expect(() => laterScriptTag('/static/a.js"><script>alert(1)</script>')).toThrow();
  });
});
