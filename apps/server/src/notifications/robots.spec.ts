import { createHmac } from 'node:crypto';
import { backoffMs } from './delivery-dispatcher.service';
import { cutBytes, dingTalkRequest, dingTalkSign, webhookHint, webhookProblem, weComRequest } from './robots';

const MSG = { title: '【催办】请尽快签收', text: '中共大滩乡委员会催办：请尽快签收《关于报送2018年度工作计划的通知》', mentions: [] as string[] };

describe('group robots', () => {
  it('signs DingTalk requests as documented: base64(HmacSHA256(secret, timestamp + "\\n" + secret)), URL-encoded in the query', () => {
    const secret = 'SEC0123456789abcdef';
    const ts = 1_700_000_000_000;
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    expect(dingTalkSign(secret, ts)).toBe(expected);
    const req = dingTalkRequest('https://oapi.dingtalk.com/robot/send?access_token=abc', secret, MSG, ts);
    const url = new URL(req.url);
    expect(url.searchParams.get('access_token')).toBe('abc');
    expect(url.searchParams.get('timestamp')).toBe(String(ts));
    expect(url.searchParams.get('sign')).toBe(expected);
    // + / = are percent-encoded in the raw query, as urlEncode does.
    expect(req.url).not.toMatch(/sign=[^&]*[+/=][^&]*$/);
    expect(req.body).toMatchObject({ msgtype: 'markdown', markdown: { title: MSG.title }, at: { atMobiles: [], isAtAll: false } });
  });

  it('sends no signature without a secret, and names @-ed mobiles in the text as DingTalk requires', () => {
    const req = dingTalkRequest('https://oapi.dingtalk.com/robot/send?access_token=abc', null, { ...MSG, mentions: ['13800001111'] });
    expect(new URL(req.url).searchParams.has('sign')).toBe(false);
    expect((req.body.markdown as { text: string }).text).toContain('@13800001111');
    expect(req.body.at).toEqual({ atMobiles: ['13800001111'], isAtAll: false });
  });

  it('escapes markdown in the notice so a title cannot become a link', () => {
    const req = dingTalkRequest('https://x/robot/send?access_token=a', null, { ...MSG, text: '《[点我](http://evil)》' });
    expect((req.body.markdown as { text: string }).text).toContain('\\[点我\\](http://evil)');
  });

  it('uses WeCom markdown, or text with mentioned_mobile_list to @ by mobile, within the byte limits', () => {
    expect(weComRequest('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', MSG).body).toMatchObject({ msgtype: 'markdown' });
    const withAt = weComRequest('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', { ...MSG, mentions: ['13800001111'] });
    expect(withAt.body).toMatchObject({ msgtype: 'text', text: { mentioned_mobile_list: ['13800001111'] } });
    const long = weComRequest('https://x/cgi-bin/webhook/send?key=k', { ...MSG, text: '党'.repeat(3000) });
    expect(Buffer.byteLength((long.body.markdown as { content: string }).content, 'utf8')).toBeLessThanOrEqual(4096);
    expect(cutBytes('党建工作', 7)).toBe('党…');
  });

  it('checks the webhook address typed on the settings page, in plain words, and shows only its end', () => {
    expect(webhookProblem('DINGTALK', 'oapi.dingtalk.com')).toContain('不是有效的网址');
    expect(webhookProblem('DINGTALK', 'https://oapi.dingtalk.com/robot/send')).toContain('钉钉机器人的地址不完整');
    expect(webhookProblem('WECOM', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send')).toContain('企业微信机器人的地址不完整');
    expect(webhookProblem('WECOM', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a')).toBeNull();
    expect(webhookHint('WECOM', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693axxxx-0000-1234')).toBe('qyapi.weixin.qq.com · …1234');
  });

  it('backs off exponentially with jitter, capped at six hours', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 30_000, mid))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(30, 30_000, mid)).toBe(6 * 3600_000);
    expect(backoffMs(1, 30_000, () => 0)).toBe(27_000);
  });
});
