import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway certificate authority with a server certificate for 127.0.0.1
 * and localhost and a client certificate, made by `openssl` in a temporary
 * directory, for TLS tests against a real redis-server or an https server.
 */
export class TestCertificates {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static create(): TestCertificates {
    const dir = mkdtempSync(join(tmpdir(), 'otel-top-tls-'));
    const openssl = (...args: string[]): void => {
      try {
        execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (error) {
        const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
        throw new Error(`openssl ${args[0]} failed (is openssl installed?): ${stderr || (error as Error).message}`);
      }
    };
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=otel-top test CA',
      '-keyout', 'ca.key', '-out', 'ca.crt');
    for (const name of ['server', 'client']) {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=otel-top test ${name}`,
        '-keyout', `${name}.key`, '-out', `${name}.csr`);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
        '-days', '2', '-out', `${name}.crt`, '-extfile', writeExtensions(dir, name));
    }
    return new TestCertificates(dir);
  }

  get caFile(): string {
    return join(this.dir, 'ca.crt');
  }

  get serverCertFile(): string {
    return join(this.dir, 'server.crt');
  }

  get serverKeyFile(): string {
    return join(this.dir, 'server.key');
  }

  /** PEM contents, for ioredis `tls: { ca, cert, key }`. */
  get ca(): string {
    return readFileSync(this.caFile, 'utf8');
  }

  /** PEM of the server certificate (signed by `ca`) and its key, for an https test server. */
  get serverCert(): string {
    return readFileSync(this.serverCertFile, 'utf8');
  }

  get serverKey(): string {
    return readFileSync(this.serverKeyFile, 'utf8');
  }

  get clientCert(): string {
    return readFileSync(join(this.dir, 'client.crt'), 'utf8');
  }

  get clientKey(): string {
    return readFileSync(join(this.dir, 'client.key'), 'utf8');
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function writeExtensions(dir: string, name: string): string {
  const file = join(dir, `${name}.ext`);
  const usage = name === 'server' ? 'serverAuth' : 'clientAuth';
  const san = name === 'server' ? 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n' : '';
  writeFileSync(file, `${san}extendedKeyUsage=${usage}\n`);
  return file;
}
