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

  it('asks for SIGNING_KEY_SECRET in production only, and a long enough one wherever it is set', () => {
    expect(loadConfig(good).SIGNING_KEY_SECRET).toBeUndefined();
    expect(() => loadConfig({ ...good, NODE_ENV: 'production' })).toThrow('SIGNING_KEY_SECRET：生产环境必须设置（加密签名证书及其密码的密钥）（未设置）');
    expect(loadConfig({ ...good, NODE_ENV: 'production', SIGNING_KEY_SECRET: 'sixteen-chars-ok' }).SIGNING_KEY_SECRET).toBe('sixteen-chars-ok');
    expect(() => loadConfig({ ...good, SIGNING_KEY_SECRET: 'short' })).toThrow('SIGNING_KEY_SECRET：至少 16 个字符');
  });
});
