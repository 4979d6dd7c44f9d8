import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config';
import type { RobotRequest } from './robots';

/** A failure that retrying will not cure (nothing configured, the channel removed): the delivery is given up at once. */
export class PermanentDeliveryError extends Error {}

const TIMEOUT_MS = 10_000;

/** E-mail over SMTP (nodemailer), configured from the environment; without SMTP_URL or SMTP_HOST nothing is sent. */
export class MailSender {
  private transport?: Transporter;

  constructor(private readonly config: Pick<AppConfig, 'SMTP_URL' | 'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_USER' | 'SMTP_PASS' | 'MAIL_FROM'>) {}

  get configured(): boolean {
    return !!(this.config.SMTP_URL || this.config.SMTP_HOST);
  }

  private transporter(): Transporter {
    if (this.transport) return this.transport;
    const c = this.config;
    const timeouts = { connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS };
    this.transport = c.SMTP_URL
      ? nodemailer.createTransport({ url: c.SMTP_URL, ...timeouts })
      : nodemailer.createTransport({
          host: c.SMTP_HOST,
          port: c.SMTP_PORT ?? 587,
          secure: (c.SMTP_PORT ?? 587) === 465,
          auth: c.SMTP_USER ? { user: c.SMTP_USER, pass: c.SMTP_PASS ?? '' } : undefined,
          ...timeouts,
        });
    return this.transport;
  }

  async send(to: string, subject: string, text: string): Promise<string> {
    if (!this.configured) throw new PermanentDeliveryError('系统未配置邮件服务器（SMTP），邮件未发送');
    const from = this.config.MAIL_FROM ?? '党建工作台 <dangjian@localhost>';
    const info = await this.transporter().sendMail({ from, to, subject, text });
    return String(info.messageId ?? '');
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }
}

/** POSTs a robot request; the robots answer HTTP 200 with {errcode, errmsg}, errcode 0 meaning sent. */
export async function postRobot(req: RobotRequest): Promise<void> {
  const res = await fetch(req.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(req.body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`机器人服务器返回错误（状态 ${res.status}）`);
  let answer: { errcode?: number; errmsg?: string };
  try {
    answer = JSON.parse(text) as { errcode?: number; errmsg?: string };
  } catch {
    throw new Error('机器人服务器的应答无法识别');
  }
  if (answer.errcode !== 0) throw new Error(`机器人拒绝发送（错误码 ${answer.errcode ?? '无'}${answer.errmsg ? `：${answer.errmsg}` : ''}）`);
}

/** A sending failure in words for the settings page (the raw error goes to the log). */
export function failureText(err: unknown, channel: string): string {
  const e = err as { code?: string; responseCode?: number; message?: string; name?: string };
  if (err instanceof PermanentDeliveryError) return err.message;
  const code = e.code ?? (e as { cause?: { code?: string } }).cause?.code;
  const where = channel === 'EMAIL' ? '邮件服务器' : '机器人服务器';
  if (e.name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ETIMEOUT') return `连接${where}超时`;
  if (code === 'ECONNREFUSED' || code === 'ECONNECTION' || code === 'ESOCKET') return `无法连接${where}`;
  if (code === 'ENOTFOUND' || code === 'EDNS') return `找不到${where}的地址`;
  if (code === 'EAUTH') return '邮件服务器拒绝登录（用户名或密码不对）';
  if (code === 'EENVELOPE' || code === 'EMESSAGE' || (e.responseCode && e.responseCode >= 500))
    return `邮件服务器拒收${e.responseCode ? `（代码 ${e.responseCode}）` : ''}`;
  if (e.responseCode) return `邮件服务器暂时拒收（代码 ${e.responseCode}）`;
  if (/^[\u4e00-\u9fa5]/.test(e.message ?? '')) return e.message as string;
  return channel === 'EMAIL' ? '邮件发送失败' : '机器人消息发送失败';
}
