import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Robot webhook addresses and signing secrets at rest: AES-256-GCM under a key derived (HKDF-SHA-256) from
 * SESSION_SECRET, each value bound to its organisation and field (additional authenticated data), so a value copied
 * into another row does not open. Stored as `nc:v1:` + base64(iv | tag | ciphertext). The pages never show them back.
 * Changing SESSION_SECRET makes stored robots unreadable: their deliveries fail with a reason asking to set them again.
 */
const PREFIX = 'nc:v1:';

export class ChannelSecrets {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'dangjian/notification-channels', 'aes-256-gcm', 32));
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string, context: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('机器人设置不是加密保存的，请重新设置');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('机器人设置无法解密（系统密钥已更换或数据被改动），请管理员重新设置该机器人');
    }
  }
}
