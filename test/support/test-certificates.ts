import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

/**
 * A throwaway certificate authority in a folder of its own, issuing P-256 certificates valid for a
 * day. Node's crypto parses X.509 but cannot sign it, so the openssl CLI does; the extensions are
 * the ones strict verifiers (rustls in the worker's Core SDK) insist on.
 */
export class TestCertificateAuthority {
  private constructor(
    private readonly dir: string,
    readonly certFile: string,
    private readonly keyFile: string,
  ) {}

  static create(name: string): TestCertificateAuthority {
    const dir = mkdtempSync(join(tmpdir(), 'test-ca-'));
    const [certFile, keyFile] = [join(dir, 'ca.pem'), join(dir, 'ca.key')];
    openssl([
      'req',
      '-x509',
      ...NEW_KEY,
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    return new TestCertificateAuthority(dir, certFile, keyFile);
  }

  get cert(): Buffer {
    return readFileSync(this.certFile);
  }

  /** A server certificate for localhost and 127.0.0.1, or a client certificate, signed by this CA. */
  issue(name: string, purpose: 'serverAuth' | 'clientAuth'): IssuedCertificate {
    const [certFile, keyFile, requestFile, extensionsFile] = ['.pem', '.key', '.csr', '.ext'].map((ext) => join(this.dir, `${name}${ext}`));
    const extensions = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', `extendedKeyUsage=${purpose}`];
    if (purpose === 'serverAuth') extensions.push('subjectAltName=DNS:localhost,IP:127.0.0.1');
    writeFileSync(extensionsFile, `${extensions.join('\n')}\n`);
    openssl(['req', '-new', ...NEW_KEY, '-keyout', keyFile, '-out', requestFile, '-subj', `/CN=${name}`]);
    openssl([
      'x509',
      '-req',
      '-in',
      requestFile,
      '-CA',
      this.certFile,
      '-CAkey',
      this.keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-extfile',
      extensionsFile,
    ]);
    return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An unencrypted P-256 key, written as PKCS#8, which both Node and rustls read. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
