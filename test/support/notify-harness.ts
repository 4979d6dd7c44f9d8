/**
 * A real SMTP server (smtp-server) and a webhook receiver (node:http) on free local ports, recording what arrives:
 * notices sent in tests never leave the machine. The receiver checks DingTalk's 加签 signature and answers like the
 * robots do ({errcode: 0, errmsg: "ok"}); either can be told to fail the next n requests.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) in a header. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Just enough of RFC 5322 for a single-part text message as nodemailer writes it. */
export function parseMail(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) =>
    head
      .split('\r\n')
      .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim() ?? '';
  const cte = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : cte === 'quoted-printable' ? decodeQuotedPrintable(body) : body;
  return { subject: decodeWords(header('Subject')), text: text.replace(/\r\n/g, '\n').trim() };
}

export interface SmtpHarness {
  port: number;
  url: string;
  mails: ReceivedMail[];
  /** The next n messages are answered 451 (try again later). */
  failNext: number;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<SmtpHarness> {
  const harness = { mails: [] as ReceivedMail[], failNext: 0 } as SmtpHarness;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (harness.failNext > 0) {
          harness.failNext -= 1;
          return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
        }
        const { subject, text } = parseMail(Buffer.concat(chunks).toString('utf8'));
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        harness.mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), subject, text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  harness.port = (server.server.address() as AddressInfo).port;
  harness.url = `smtp://127.0.0.1:${harness.port}`;
  harness.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return harness;
}

export interface RobotCall {
  robot: 'dingtalk' | 'wecom';
  query: URLSearchParams;
  body: Record<string, unknown> & { msgtype: string };
  /** DingTalk: the sign matches HmacSHA256(secret, timestamp + "\n" + secret) and the timestamp is within an hour. */
  signOk?: boolean;
}

export interface WebhookHarness {
  base: string;
  calls: RobotCall[];
  /** Answer the next n calls of that robot with HTTP 500. */
  failNext: { dingtalk: number; wecom: number };
  /** The addresses to give the settings page. */
  dingTalkUrl(token: string): string;
  weComUrl(key: string): string;
  close(): Promise<void>;
}

/** `secrets`: access_token → 加签 secret, for the receiver to check signatures with. */
export async function startWebhookReceiver(secrets: Record<string, string>): Promise<WebhookHarness> {
  const harness = { calls: [] as RobotCall[], failNext: { dingtalk: 0, wecom: 0 } } as WebhookHarness;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const robot = url.pathname === '/robot/send' ? 'dingtalk' : url.pathname === '/cgi-bin/webhook/send' ? 'wecom' : null;
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!robot || req.method !== 'POST') return answer(404, { errcode: 404, errmsg: 'not found' });
      if (harness.failNext[robot] > 0) {
        harness.failNext[robot] -= 1;
        return answer(500, { errcode: -1, errmsg: 'system busy' });
      }
      let body: RobotCall['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(200, { errcode: 40035, errmsg: 'invalid json' });
      }
      const call: RobotCall = { robot, query: url.searchParams, body };
      if (robot === 'dingtalk') {
        const secret = secrets[url.searchParams.get('access_token') ?? ''];
        const ts = url.searchParams.get('timestamp') ?? '';
        const expected = secret ? createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64') : '';
        call.signOk = !!secret && url.searchParams.get('sign') === expected && Math.abs(Date.now() - Number(ts)) < 3600_000;
        harness.calls.push(call);
        // As DingTalk answers a bad signature: HTTP 200 with an error code.
        return call.signOk ? answer(200, { errcode: 0, errmsg: 'ok' }) : answer(200, { errcode: 310000, errmsg: 'sign not match' });
      }
      harness.calls.push(call);
      const ok = !!url.searchParams.get('key') && (body.msgtype === 'markdown' || body.msgtype === 'text');
      return answer(200, ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 93000, errmsg: 'invalid webhook url' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  harness.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  harness.dingTalkUrl = (token) => `${harness.base}/robot/send?access_token=${token}`;
  harness.weComUrl = (key) => `${harness.base}/cgi-bin/webhook/send?key=${key}`;
  harness.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return harness;
}

/** Points the apps started after this at the harness (SMTP, fast polling and retries); returns a restore function. */
export function useLocalChannels(smtp: SmtpHarness, extra: Record<string, string> = {}): () => void {
  const vars: Record<string, string> = {
    SMTP_URL: smtp.url,
    MAIL_FROM: '大滩乡党建工作台 <dangjian@datan.test>',
    PUBLIC_URL: 'http://dangjian.test',
    NOTIFY_POLL_MS: '200',
    NOTIFY_RETRY_SECONDS: '1',
    ...extra,
  };
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
