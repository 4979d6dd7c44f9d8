import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';

/** Every environment variable the apps read. Validated once at boot; nothing else reads process.env. */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '必须是 postgresql:// 开头的连接串' })
  DATABASE_URL!: string;

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '必须在 1 到 65535 之间' })
  @Max(65535, { message: '必须在 1 到 65535 之间' })
  PORT = 3000;

  @IsString()
  @Matches(/^[\w.-]+:\d+$/, { message: '必须是 主机:端口，例如 127.0.0.1:7233' })
  TEMPORAL_ADDRESS = '127.0.0.1:7233';

  @IsString()
  @MinLength(1, { message: '不能为空' })
  TEMPORAL_NAMESPACE = 'default';

  @IsString()
  @MinLength(1, { message: '不能为空' })
  TEMPORAL_TASK_QUEUE = 'dangjian';

  @IsString()
  @MinLength(16, { message: '至少 16 个字符' })
  SESSION_SECRET!: string;

  /**
   * The key (through HKDF) that encrypts each organ's PKCS#12 and its password at rest (AES-256-GCM). Required in
   * production; `npm start` keeps one in .data/signing-key-secret; elsewhere a fixed development key stands in.
   */
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' || c.SIGNING_KEY_SECRET !== undefined)
  @IsString({ message: '生产环境必须设置（加密签名证书及其密码的密钥）' })
  @MinLength(16, { message: '至少 16 个字符' })
  SIGNING_KEY_SECRET?: string;

  /**
   * Signs the audit chain's checkpoints (HMAC-SHA256). Kept outside the database (the start script generates one under
   * .data); without it nothing is signed and `audit verify` says so.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: '至少 32 个字符' })
  AUDIT_SIGNING_KEY?: string;

  @IsString()
  CHROME_PATH = '/usr/bin/chromium';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: '必须是 fatal/error/warn/info/debug/trace/silent 之一',
  })
  LOG_LEVEL = 'info';

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  RENDER_CONCURRENCY?: number;

  /**
   * E-mail notices (nodemailer over SMTP): either SMTP_URL (smtp://user:pass@host:587, smtps://… for TLS) or
   * SMTP_HOST with SMTP_PORT, SMTP_USER, SMTP_PASS; MAIL_FROM is the sender. Unset: no e-mail is sent.
   */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: '必须是 smtp:// 或 smtps:// 开头的地址' })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  SMTP_HOST?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '必须在 1 到 65535 之间' })
  @Max(65535, { message: '必须在 1 到 65535 之间' })
  SMTP_PORT?: number;

  @IsOptional()
  @IsString()
  SMTP_USER?: string;

  @IsOptional()
  @IsString()
  SMTP_PASS?: string;

  @IsOptional()
  @IsString()
  MAIL_FROM?: string;

  /** The address people open the app at, for the link in e-mail and group-robot notices (e.g. https://dj.example.cn). */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: '必须是 http:// 或 https:// 开头的地址' })
  PUBLIC_URL?: string;

  /** Notice delivery: how often the worker looks for notices to send, and the first retry's delay (doubling after). */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(100, { message: '至少为 100' })
  NOTIFY_POLL_MS = 2000;

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  NOTIFY_RETRY_SECONDS = 30;

  /**
   * How long a request waits for a workflow to finish a person's action (a decision, a submission, a 签收) before
   * answering that it was accepted and is being completed (202): its activity may be retrying through an outage.
   */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  UPDATE_WAIT_SECONDS = 20;

  /** Upload quotas (MB per day, Asia/Shanghai): each person, and each organisation all its people together. */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  UPLOAD_QUOTA_PERSON_MB_PER_DAY = 200;

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  UPLOAD_QUOTA_ORG_MB_PER_DAY = 1000;

  /** An upload that no saved record refers to is removed this many hours after it was last uploaded. */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  UPLOAD_UNATTACHED_GRACE_HOURS = 72;

  /** How often the worker looks for such uploads. */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: '必须是整数' })
  @Min(1, { message: '至少为 1' })
  UPLOAD_CLEANUP_INTERVAL_MINUTES = 60;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

export class ConfigError extends Error {}

/** Parses and validates the environment; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      // The most basic reason only: "必须是整数" rather than also "必须在 1 到 65535 之间".
      const order = ['isDefined', 'isIn', 'isInt', 'isString', 'matches', 'minLength', 'min', 'max'];
      const [, reason] = Object.entries(e.constraints ?? {}).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))[0] ?? ['', '无效'];
      const raw = defined[e.property];
      const shown = raw === undefined ? '未设置' : `当前值 "${String(raw)}"`;
      return `  ${e.property}：${reason}（${shown}）`;
    });
    throw new ConfigError(`环境变量配置有误，服务无法启动：\n${lines.join('\n')}`);
  }
  return config;
}
