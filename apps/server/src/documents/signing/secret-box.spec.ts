import { loadPkcs12, selfSignedPkcs12, SigningIdentityError } from './pdf-signature';
import { SecretBox } from './secret-box';

describe('SecretBox (AES-256-GCM at rest)', () => {
  const box = new SecretBox('a-secret-of-sixteen-or-more');

  it('opens what it sealed, for the same row and column only', () => {
    const sealed = box.sealText('p12 密码', 'org-1/password');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain(Buffer.from('p12 密码').toString('base64'));
    expect(box.openText(sealed, 'org-1/password')).toBe('p12 密码');
    expect(() => box.openText(sealed, 'org-2/password')).toThrow('SIGNING_KEY_SECRET');
  });

  it('refuses under another secret and when one byte changed', () => {
    const bytes = Buffer.from('private key material');
    const sealed = box.seal(bytes, 'org-1/p12');
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(sealed.includes(bytes)).toBe(false);
    expect(box.open(sealed, 'org-1/p12').equals(bytes)).toBe(true);
    expect(() => new SecretBox('another-secret-of-sixteen').open(sealed, 'org-1/p12')).toThrow('SIGNING_KEY_SECRET');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => box.open(tampered, 'org-1/p12')).toThrow('SIGNING_KEY_SECRET');
  });

  it('tells a clear PKCS#12 (DER) and a clear password from sealed ones', () => {
    const p12 = selfSignedPkcs12('中共测试乡委员会', 'pw');
    expect(SecretBox.isSealed(p12)).toBe(false);
    expect(SecretBox.isSealedText('pw')).toBe(false);
  });
});

describe('loadPkcs12 errors name the input that is wrong', () => {
  const p12 = selfSignedPkcs12('中共测试乡委员会', 'right');
  const fails = (bytes: Buffer, password: string) => {
    try {
      loadPkcs12(bytes, password);
    } catch (err) {
      return { field: (err as SigningIdentityError).field, message: (err as Error).message };
    }
    return null;
  };

  it('a wrong password is the password; a file that is not PKCS#12 is the file', () => {
    expect(fails(p12, 'wrong')).toEqual({ field: 'password', message: '证书密码不对，打不开证书文件' });
    expect(fails(p12, '')).toEqual({ field: 'password', message: '证书密码不对，打不开证书文件' });
    expect(fails(Buffer.from('not a certificate'), 'right')).toEqual({ field: 'p12', message: '证书文件无法读取：不是 PKCS#12（.p12/.pfx）文件' });
    expect(fails(p12.subarray(0, 300), 'right')?.field).toBe('p12');
    expect(fails(p12, 'right')).toBeNull();
  });
});
