/**
 * PAdES signatures of issued 公文 (ETSI EN 319 142-1 baseline B-B: SubFilter ETSI.CAdES.detached, a CMS
 * SignedData over the PDF's byte range with the signer's certificate and the ESS signing-certificate-v2
 * attribute, no signing-time attribute: the time is the signature dictionary's /M).
 *
 * @signpdf/placeholder-plain appends the signature dictionary and widget as an incremental update and
 * @signpdf/signpdf fills the byte range; the CMS is built here with node-forge's ASN.1 (forge's own PKCS#7
 * signer adds signing-time, cannot add signing-certificate-v2, and hashes in JavaScript), and hashing and
 * RSA run in Node's crypto.
 */
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import signpdf from '@signpdf/signpdf';
import { extractSignature, Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  createPublicKey,
  KeyObject,
  sign as rsaSign,
  verify as rsaVerify,
  X509Certificate,
} from 'node:crypto';

const asn1 = forge.asn1;
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
};

/** An organ's signing key and certificate, parsed once from its PKCS#12. */
export interface SigningKey {
  key: KeyObject;
  /** DER of the signer's certificate, then the rest of the chain */
  certificates: Buffer[];
  subject: string;
  notAfter: Date;
}

export class SigningIdentityError extends Error {
  /** which input is wrong: the PKCS#12 file or its password */
  constructor(
    message: string,
    readonly field: 'p12' | 'password' = 'p12',
  ) {
    super(message);
    this.name = 'SigningIdentityError';
  }
}

/** Reads a PKCS#12 (the key and its certificate chain); the error says in Chinese what is wrong, and with which input. */
export function loadPkcs12(p12: Buffer, password: string): SigningKey {
  let pfx: forge.asn1.Asn1;
  try {
    pfx = asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
  } catch {
    throw new SigningIdentityError('证书文件无法读取：不是 PKCS#12（.p12/.pfx）文件');
  }
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(pfx, false, password);
  } catch (err) {
    // forge checks the MAC with the password first: a failure there is the password, anything else the file.
    if (/password|MAC could not be verified/i.test((err as Error).message)) throw new SigningIdentityError('证书密码不对，打不开证书文件', 'password');
    throw new SigningIdentityError('证书文件无法读取：不是 PKCS#12（.p12/.pfx）文件');
  }
  const bags = (type: string) => parsed.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag), ...bags(forge.pki.oids.keyBag)].find((b) => b.key);
  if (!keyBag?.key) throw new SigningIdentityError('证书文件中没有私钥');
  const key = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  const publicDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const certs = bags(forge.pki.oids.certBag)
    .filter((b) => b.cert)
    .map((b) => Buffer.from(asn1.toDer(forge.pki.certificateToAsn1(b.cert!)).getBytes(), 'binary'));
  const own = certs.findIndex((der) => new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer));
  if (own < 0) throw new SigningIdentityError('证书文件中没有与私钥对应的证书');
  const x = new X509Certificate(certs[own]);
  if (x.publicKey.asymmetricKeyType !== 'rsa') throw new SigningIdentityError('只支持 RSA 签名证书');
  return { key, certificates: [certs[own], ...certs.filter((_, i) => i !== own)], subject: utf8Name(x.subject), notAfter: new Date(x.validTo) };
}

/** A self-signed certificate for a demo organ (RSA 2048, 10 years), as a PKCS#12 with the given password. */
export function selfSignedPkcs12(organ: string, password: string, now = new Date()): Buffer {
  // Node generates the key (forge's JavaScript key generation takes seconds); forge writes the certificate and the PKCS#12.
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = {
    privateKey: forge.pki.privateKeyFromPem(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string),
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }) as string),
  };
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${createHash('sha256').update(`${organ}${now.toISOString()}`).digest('hex').slice(0, 30)}`;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const name = [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: forge.util.encodeUtf8(organ) },
    { shortName: 'OU', value: forge.util.encodeUtf8('演示证书（自签名，仅供测试）') },
    { shortName: 'CN', value: forge.util.encodeUtf8(`${organ}电子印章`) },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], password, { algorithm: 'aes256', friendlyName: organ });
  return Buffer.from(asn1.toDer(p12).getBytes(), 'binary');
}

/** Node prints a certificate's UTF-8 names byte by byte; read them back as UTF-8. */
const utf8Name = (s: string) => ([...s].every((c) => c.charCodeAt(0) < 0x100) ? Buffer.from(s, 'latin1').toString('utf8') : s).replace(/\n/g, ', ');

const der = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
const fromDer = (b: Buffer) => asn1.fromDer(forge.util.createBuffer(b.toString('binary')));
const seq = (v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, v);
const set = (v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, v);
const oid = (o: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
const octets = (b: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b.toString('binary'));
const int = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
const attribute = (type: string, value: forge.asn1.Asn1) => seq([oid(type), set([value])]);

/** issuer and serialNumber of a certificate, from its TBSCertificate (with or without the [0] version). */
function issuerAndSerial(certDer: Buffer): forge.asn1.Asn1 {
  const tbs = (fromDer(certDer).value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
  const i = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return seq([tbs[i + 2], tbs[i]]);
}

/** The signed attributes, DER-sorted as a SET OF must be. */
function signedAttributes(contentDigest: Buffer, certDer: Buffer): forge.asn1.Asn1[] {
  const essCertIdV2 = seq([octets(createHash('sha256').update(certDer).digest())]); // hashAlgorithm sha256 is the default, omitted
  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(contentDigest)),
    attribute(OID.signingCertificateV2, seq([seq([essCertIdV2])])),
  ];
  return attrs
    .map((a) => ({ a, d: der(a) }))
    .sort((x, y) => Buffer.compare(x.d, y.d))
    .map((x) => x.a);
}

/** CMS SignedData (detached) over `content`. */
export function cmsSign(content: Buffer, k: SigningKey): Buffer {
  const [certDer] = k.certificates;
  const attrs = signedAttributes(createHash('sha256').update(content).digest(), certDer);
  const signature = rsaSign('sha256', der(set(attrs)), k.key);
  const sha256 = seq([oid(OID.sha256)]);
  const signerInfo = seq([
    int(1),
    issuerAndSerial(certDer),
    sha256,
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs),
    seq([oid(OID.rsaEncryption), nul()]),
    octets(signature),
  ]);
  const signedData = seq([
    int(1),
    set([sha256]),
    seq([oid(OID.data)]),
    asn1.create(
      asn1.Class.CONTEXT_SPECIFIC,
      0,
      true,
      k.certificates.map((c) => fromDer(c)),
    ),
    set([signerInfo]),
  ]);
  return der(seq([oid(OID.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])]));
}

class OrganSigner extends Signer {
  constructor(private readonly k: SigningKey) {
    super();
  }
  override async sign(content: Buffer): Promise<Buffer> {
    return cmsSign(content, this.k);
  }
}

export interface SignOptions {
  /** 签发机关 */
  name: string;
  reason: string;
  location: string;
  signingTime: Date;
}

/** Appends an invisible PAdES signature field and signs the whole file (the visible mark is the seal in the page). */
export async function signPdf(pdf: Buffer, k: SigningKey, o: SignOptions): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: o.reason,
    contactInfo: '',
    name: o.name,
    location: o.location,
    signingTime: o.signingTime,
    signatureLength: 4096 + k.certificates.reduce((n, c) => n + c.length, 0),
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: '公文签发',
  });
  return signpdf.sign(withPlaceholder, new OrganSigner(k), o.signingTime);
}

export interface VerifyResult {
  signed: boolean;
  /** the signature matches the signed bytes, and those bytes are the whole file */
  intact: boolean;
  /** 证书主题, e.g. "C=CN, O=中共大滩乡委员会, CN=…" */
  signer?: string;
  organ?: string;
  /** /M of the signature dictionary */
  signedAt?: string;
  certificateSha256?: string;
  selfSigned?: boolean;
  certificateValidUntil?: string;
  /** why not intact, in Chinese */
  problem?: string;
}

/** Checks the last signature of a PDF: digest of the byte range, the RSA signature over the attributes, the range covering the file. */
export function verifyPdf(pdf: Buffer): VerifyResult {
  if (!/\/ByteRange\s*\[/.test(pdf.toString('latin1'))) return { signed: false, intact: false, problem: '文件没有电子签名' };
  let ex: { ByteRange: number[]; signature: string; signedData: Buffer };
  try {
    ex = extractSignature(pdf) as typeof ex;
  } catch (err) {
    return { signed: true, intact: false, problem: `签名结构损坏：${(err as Error).message}` };
  }
  const result: VerifyResult = { signed: true, intact: false };
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([Z+-])?(\d{2})?'?(\d{2})?/.exec(sigDictionary(pdf, ex.ByteRange));
  if (m) result.signedAt = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] && m[7] !== 'Z' ? `${m[7]}${m[8]}:${m[9] ?? '00'}` : 'Z'}`;
  try {
    const cms = fromDer(Buffer.from(ex.signature, 'binary'));
    const signedData = ((cms.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const certsNode = signedData.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
    const certs = ((certsNode?.value as forge.asn1.Asn1[]) ?? []).map((c) => new X509Certificate(der(c)));
    const signerInfo = (signedData[signedData.length - 1].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const attrsNode = signerInfo.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0)!;
    const signature = Buffer.from(signerInfo[signerInfo.length - 1].value as string, 'binary');
    const attrs = attrsNode.value as forge.asn1.Asn1[];
    const digestAttr = attrs.find((a) => asn1.derToOid((a.value as forge.asn1.Asn1[])[0].value as string) === OID.messageDigest);
    const digest = Buffer.from(((digestAttr!.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string, 'binary');
    const serial = (signerInfo[1].value as forge.asn1.Asn1[])[1];
    const cert =
      certs.find(
        (c) =>
          c.serialNumber.toLowerCase() ===
          forge.util
            .bytesToHex(serial.value as string)
            .replace(/^0+/, '')
            .toLowerCase(),
      ) ?? certs[0];
    if (!cert) return { ...result, problem: '签名中没有签名证书' };
    result.signer = utf8Name(cert.subject);
    result.organ = /(?:^|, )O=([^,]*)/.exec(result.signer)?.[1];
    result.certificateSha256 = createHash('sha256').update(cert.raw).digest('hex');
    result.selfSigned = cert.subject === cert.issuer && cert.verify(cert.publicKey);
    result.certificateValidUntil = new Date(cert.validTo).toISOString();
    const setOfAttrs = der(set(attrs));
    if (!createHash('sha256').update(ex.signedData).digest().equals(digest)) return { ...result, problem: '文件内容与签名不符：签名后被改动过' };
    if (!rsaVerify('sha256', setOfAttrs, cert.publicKey, signature)) return { ...result, problem: '签名值无效' };
    const [, , start2, len2] = ex.ByteRange;
    if (start2 + len2 !== pdf.length) return { ...result, problem: '签名之后文件又被追加了内容' };
    return { ...result, intact: true };
  } catch (err) {
    return { ...result, problem: `签名无法解析：${(err as Error).message}` };
  }
}

/** The text of the signature dictionary around /ByteRange (for /M). */
function sigDictionary(pdf: Buffer, range: number[]): string {
  const at = range[1];
  return pdf.subarray(Math.max(0, at - 2000), Math.min(pdf.length, range[2] + 2000)).toString('latin1');
}
