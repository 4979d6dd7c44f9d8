import { createHash } from 'node:crypto';

/**
 * The pages' scripts run once the page has been shown, not before.
 *
 * Every page works without its scripts (forms post, links lead); the scripts add autosave, live status, the menu's
 * counts and the like. Loaded with `defer`, a phone ran them before its first paint whenever they had arrived by then,
 * so the page appeared only after about 30 KB of script was parsed and run (and after the counts request they start):
 * with Lighthouse's mobile emulation that was 0.5–0.6 s of the 填报 and 发文 pages' largest contentful paint
 * (`npm run bench -- pages`). A page now lists its scripts as inert tags of type LATER_SCRIPT_TYPE, and the one inline
 * loader below (allowed by its hash in the Content-Security-Policy, LATER_SCRIPTS_LOADER_HASH) adds them after the
 * first frame, in the order listed (app.js last, as before). They are fetched then, not earlier: a preload made the
 * scripts compete with the style sheet and cost 0.4 s of the same paint.
 *
 * A hidden tab (opened in the background) has no frames; its scripts are added at once. When all have run (or failed
 * to load) the page says so on `<html data-scripts="ready">`, which the browser tests wait for after each navigation.
 */
export const LATER_SCRIPT_TYPE = 'application/x-after-paint';

export const LATER_SCRIPTS_LOADER =
  '(function(){var d=document,started=false;' +
  "function ready(){d.documentElement.setAttribute('data-scripts','ready')}" +
  'function start(){if(started)return;started=true;' +
  `var w=d.querySelectorAll('script[type="${LATER_SCRIPT_TYPE}"]'),left=w.length;if(!left)return ready();` +
  "for(var i=0;i<w.length;i++){var s=d.createElement('script');s.src=w[i].getAttribute('data-src');s.async=false;" +
  's.onload=s.onerror=function(){if(!--left)ready()};d.body.appendChild(s)}}' +
  "if(d.visibilityState==='hidden')start();" +
  "else{requestAnimationFrame(function(){setTimeout(start,0)});d.addEventListener('visibilitychange',start)}})();";

/** The loader's source hash, for script-src. */
export const LATER_SCRIPTS_LOADER_HASH = `'sha256-${createHash('sha256').update(LATER_SCRIPTS_LOADER).digest('base64')}'`;

/** The inert tag of one script to be loaded after the first paint; `src` is a URL this site made (a versioned /static/ one). */
export function laterScriptTag(src: string): string {
  if (!/^\/[A-Za-z0-9/._?=-]+$/.test(src)) throw new Error(`脚本地址不合规：${src}`);
  return `<script type="${LATER_SCRIPT_TYPE}" data-src="${src}"></script>`;
}
