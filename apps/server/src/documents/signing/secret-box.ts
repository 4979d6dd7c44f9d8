import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Private key material at rest (an organ's PKCS#12 and its password): AES-256-GCM under a key derived (HKDF-SHA-256)
 * from SIGNING_KEY_SECRET. Each value is bound to its row and column (the additional authenticated data), so a value
 * copied into another organ's row does not open. Bytes are stored as MAGIC | iv (12) | tag (16) | ciphertext; text as
 * `enc:v1:` + the same envelope in base64. A value without the marker is a row written before encryption (see
 * SigningIdentityService.encryptClearRows).
 */
const MAGIC = Buffer.from('DJE1');
const TEXT_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Used when SIGNING_KEY_SECRET is not set outside production (development, tests); production refuses to start without it. */
export const DEVELOPMENT_SIGNING_KEY_SECRET = 'development-only-signing-key-secret';

export class SecretBoxError extends Error {}

export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'dangjian/organ-signing-identity', 'aes-256-gcm', 32));
  }

  static isSealed(bytes: Buffer): boolean {
    return bytes.length > MAGIC.length + IV_BYTES + TAG_BYTES && bytes.subarray(0, MAGIC.length).equals(MAGIC);
  }

  static isSealedText(text: string): boolean {
    return text.startsWith(TEXT_PREFIX);
  }

  seal(plain: Buffer, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, context: string): Buffer {
    if (!SecretBox.isSealed(sealed)) throw new SecretBoxError('不是加密存储的数据');
    const at = MAGIC.length;
    const iv = sealed.subarray(at, at + IV_BYTES);
    const tag = sealed.subarray(at + IV_BYTES, at + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(at + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SecretBoxError('签名证书无法解密：SIGNING_KEY_SECRET 与加密时所用的不同，或数据已被改动');
    }
  }

  sealText(text: string, context: string): string {
    return TEXT_PREFIX + this.seal(Buffer.from(text, 'utf8'), context).toString('base64');
  }

  openText(text: string, context: string): string {
    if (!SecretBox.isSealedText(text)) throw new SecretBoxError('不是加密存储的数据');
    return this.open(Buffer.from(text.slice(TEXT_PREFIX.length), 'base64'), context).toString('utf8');
  }
}
