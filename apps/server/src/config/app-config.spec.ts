import { ConfigError, loadConfig } from './app-config';

const good = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x', SESSION_SECRET: 'a-long-enough-secret' };

describe('loadConfig', () => {
  it('applies defaults to a minimal environment', () => {
    const c = loadConfig(good);
    expect(c).toMatchObject({ PORT: 3000, TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_NAMESPACE: 'default', NODE_ENV: 'development' });
  });

  it('stops with a message naming each missing or bad variable and why', () => {
    let error: Error | undefined;
    try {
      loadConfig({ PORT: 'eighty', SESSION_SECRET: 'short', TEMPORAL_ADDRESS: 'nowhere' });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain('DATABASE_URL：必须是 postgresql:// 开头的连接串（未设置）');
    expect(error?.message).toContain('PORT：必须是整数');
    expect(error?.message).toContain('SESSION_SECRET：至少 16 个字符（当前值 "short"）');
    expect(error?.message).toContain('TEMPORAL_ADDRESS：必须是 主机:端口');
  });
});
