import { createHmac } from 'node:crypto';

/**
 * The two group robots' documented request formats, kept apart from sending so that they can be read and tested.
 *
 * DingTalk (钉钉自定义机器人, security setting 加签): POST the webhook URL (…/robot/send?access_token=…) with
 * `timestamp` (milliseconds) and `sign` = urlEncode(base64(HmacSHA256(key = secret, timestamp + "\n" + secret)))
 * added to the query; JSON body {msgtype: "markdown", markdown: {title, text}, at: {atMobiles, isAtAll}} — a mobile
 * is only @-ed when it also appears in the text as "@138…". The answer is {errcode: 0, errmsg: "ok"}; any other
 * errcode is a failure although the HTTP status is 200.
 *
 * WeCom (企业微信群机器人): POST the webhook URL (…/cgi-bin/webhook/send?key=…), the key being the only credential;
 * {msgtype: "markdown", markdown: {content}} (at most 4096 bytes), or, to @ people by mobile, {msgtype: "text",
 * text: {content, mentioned_mobile_list}} (at most 2048 bytes: markdown cannot @ by mobile). Same errcode answer.
 */

export interface RobotMessage {
  /** A short title (DingTalk shows it in the conversation list). */
  title: string;
  /** The notice itself, plain text. */
  text: string;
  /** Where to act on it, when the app's address is configured. */
  link?: string;
  /** Mobiles to @ in the group. */
  mentions: string[];
}

export interface RobotRequest {
  url: string;
  body: Record<string, unknown>;
}

/** sign = base64(HmacSHA256(secret, `${timestamp}\n${secret}`)); the caller URL-encodes it as a query value. */
export function dingTalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** Markdown special characters in the notice's own words are escaped, so a title cannot turn into a link or heading. */
const md = (s: string) => s.replace(/([\\`*_[\]#>])/g, '\\$1');

export function dingTalkRequest(webhook: string, secret: string | null, m: RobotMessage, now = Date.now()): RobotRequest {
  const url = new URL(webhook);
  if (secret) {
    url.searchParams.set('timestamp', String(now));
    // URLSearchParams encodes + / = as the documented urlEncode does.
    url.searchParams.set('sign', dingTalkSign(secret, now));
  }
  const lines = [`#### ${md(m.title)}`, '', md(m.text)];
  if (m.link) lines.push('', `[打开党建工作台办理](${m.link})`);
  if (m.mentions.length) lines.push('', m.mentions.map((p) => `@${p}`).join(' '));
  return {
    url: url.toString(),
    body: { msgtype: 'markdown', markdown: { title: m.title, text: lines.join('\n') }, at: { atMobiles: m.mentions, isAtAll: false } },
  };
}

/** Cuts text to at most `max` UTF-8 bytes on a character boundary. */
export function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch + '…', 'utf8') > max) break;
    out += ch;
  }
  return `${out}…`;
}

export function weComRequest(webhook: string, m: RobotMessage): RobotRequest {
  if (m.mentions.length) {
    const content = [m.title, m.text, m.link ? `办理：${m.link}` : ''].filter(Boolean).join('\n');
    return { url: webhook, body: { msgtype: 'text', text: { content: cutBytes(content, 2048), mentioned_mobile_list: m.mentions } } };
  }
  const lines = [`**${md(m.title)}**`, md(m.text)];
  if (m.link) lines.push(`[打开党建工作台办理](${m.link})`);
  return { url: webhook, body: { msgtype: 'markdown', markdown: { content: cutBytes(lines.join('\n'), 4096) } } };
}

/** Checks a webhook address as typed on the settings page; a Chinese reason, or null when it will do. */
export function webhookProblem(kind: 'DINGTALK' | 'WECOM', raw: string): string | null {
  if (raw.length > 1000) return '地址太长，请从群机器人设置页复制完整的地址';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '不是有效的网址，请从群机器人设置页复制完整的地址';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '须以 https:// 开头';
  if (kind === 'DINGTALK' && !url.searchParams.get('access_token'))
    return '钉钉机器人的地址不完整，请从群机器人设置页复制完整的地址，形如 https://oapi.dingtalk.com/robot/send?access_token=…';
  if (kind === 'WECOM' && !url.searchParams.get('key'))
    return '企业微信机器人的地址不完整，请从群机器人设置页复制完整的地址，形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…';
  return null;
}

/** What the settings page shows of a stored webhook: the host and the last four characters of its credential. */
export function webhookHint(kind: 'DINGTALK' | 'WECOM', raw: string): string {
  const url = new URL(raw);
  const credential = url.searchParams.get(kind === 'DINGTALK' ? 'access_token' : 'key') ?? '';
  return `${url.host} · …${credential.slice(-4)}`;
}
