/**
 * The sandbox's self-signed certificate: random serials once produced a non-minimal DER integer (a leading zero
 * byte, 1 start in 128) that OpenSSL refuses with "illegal padding"; every certificate must parse and verify.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../src/sandbox/api/tls.js';

it('makes certificates that OpenSSL parses and that verify with their own key, every time', () => {
  for (let i = 0; i < 400; i++) {
    const { cert, key } = selfSignedCertificate();
    const x509 = new X509Certificate(cert);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.serialNumber).toMatch(/^[0-9A-F]+$/);
  }
});
