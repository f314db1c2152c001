/**
 * The emulator's TLS certificate: self-signed (it is its own CA), for 127.0.0.1 and localhost, with a unique subject
 * per emulator, written to a directory as cert.pem (what clients trust) and key.pem.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type SelfSigned = {
  generate(
    attrs: Array<{ name: string; value: string }>,
    options: { keySize: number; days: number; algorithm: string; extensions: unknown[] },
  ): { private: string; cert: string };
};

export function makeCertificate(certDir: string): { key: string; cert: string; certPath: string } {
  const selfsigned = createRequire(import.meta.url)('selfsigned') as SelfSigned;
  // A unique subject per certificate: several emulators (each its own self-signed CA) may be trusted by one process,
  // and certificate chains are built by subject name.
  const pems = selfsigned.generate(
    [
      { name: 'commonName', value: '127.0.0.1' },
      { name: 'organizationName', value: 'Salesforce org emulator' },
      { name: 'organizationalUnitName', value: randomUUID() },
    ],
    {
      keySize: 2048,
      days: 30,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
          ],
        },
        { name: 'subjectKeyIdentifier' },
      ],
    },
  );
  mkdirSync(certDir, { recursive: true });
  const certPath = join(certDir, 'cert.pem');
  writeFileSync(certPath, pems.cert);
  writeFileSync(join(certDir, 'key.pem'), pems.private, { mode: 0o600 });
  return { key: pems.private, cert: pems.cert, certPath };
}
