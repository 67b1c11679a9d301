import { execFile } from 'node:child_process';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyIdOf } from '../../libs/audit';
import { projectPath } from '../../libs/config/paths';
import { stackEnv } from '../support/fault-checks';
import { DEMO_PASSWORD, Stack } from '../support/stack';

/** docs/runbook.md section 3: rotating the audit sealing key is configuration, with the API and worker as real processes. */
describe('audit sealing key rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-rotation-'));
  const file = (name: string, ...keys: KeyObject[]) => {
    const type = keys[0].type === 'private' ? 'pkcs8' : 'spki';
    writeFileSync(join(dir, name), keys.map((key) => key.export({ type, format: 'pem' })).join(''), { mode: 0o600 });
    return join(dir, name);
  };
  const [a, b] = [generateKeyPairSync('ed25519'), generateKeyPairSync('ed25519')];
  const [idA, idB] = [keyIdOf(a.publicKey), keyIdOf(b.publicKey)];
  const keyA = file('a.pem', a.privateKey);
  const keyB = file('b.pem', b.privateKey);
  const publicA = file('a.pub', a.publicKey);
  const publicAB = file('ab.pub', a.publicKey, b.publicKey);
  const publicB = file('b.pub', b.publicKey);
  let stack: Stack;

  /** `npm run audit:verify` against the stack's database with this verifying key file. */
  const verifyCli = (publicKeyFile: string) =>
    new Promise<{ code: number; verdict: any }>((resolve) => {
      execFile(
        process.execPath,
        [projectPath('dist', 'scripts', 'audit-verify.js')],
        { env: { ...stackEnv(stack), AUDIT_SEAL_PUBLIC_KEY_FILE: publicKeyFile } },
        (error, stdout) => resolve({ code: error ? Number((error as { code?: number }).code) : 0, verdict: JSON.parse(stdout) }),
      );
    });
  /** Audited writes: each login records LOGIN_SUCCEEDED. */
  const logins = async (n: number) => {
    for (let i = 0; i < n; i++)
      expect((await stack.request('POST', '/api/v1/auth/login', { username: 'auditor', password: DEMO_PASSWORD })).status).toBe(200);
  };
  const verifyApi = async () => (await stack.as('auditor', 'GET', '/api/v1/audit/verify')).body;
  const sealedUnder = (keyId: string) =>
    stack.eventually(`every audit event sealed, the newest under ${keyId}`, async () => {
      const verdict = await verifyApi();
      const [newest] = await stack.sql<{ key_id: string }>('SELECT key_id FROM audit_checkpoint ORDER BY last_position DESC LIMIT 1');
      return verdict.pending === 0 && newest?.key_id === keyId && verdict;
    });

  beforeAll(async () => {
    stack = await Stack.start({ AUDIT_SEAL_KEY_FILE: keyA, AUDIT_SEAL_PUBLIC_KEY_FILE: publicA });
  });
  afterAll(() => stack?.stop());

  it('seals with key A; a worker given key B while verifiers hold only A refuses to start', async () => {
    await logins(3);
    const first = await sealedUnder(idA);
    expect(first).toMatchObject({ valid: true, checkpointsByKey: { [idA]: first.checkpoints } });

    await stack.restart({ AUDIT_SEAL_KEY_FILE: keyB });
    await stack.eventually('the worker refusing key B', async () =>
      readFileSync(stack.logFile, 'utf8').includes(
        `AUDIT_SEAL_KEY_FILE: its public key (key id ${idB}) is not in AUDIT_SEAL_PUBLIC_KEY_FILE`,
      ),
    );
    await logins(1);
    expect(await verifyApi()).toMatchObject({ valid: true, pending: expect.any(Number), checkpointsByKey: { [idA]: first.checkpoints } });
    expect((await verifyApi()).pending).toBeGreaterThan(0);
  });

  it('after a restart with key B and verifiers holding {A, B}, seals on under B: /audit/verify and audit:verify are valid', async () => {
    await stack.restart({ AUDIT_SEAL_KEY_FILE: keyB, AUDIT_SEAL_PUBLIC_KEY_FILE: publicAB });
    await logins(3);
    const verdict = await sealedUnder(idB);
    expect(verdict).toMatchObject({ valid: true, pending: 0 });
    expect(Object.keys(verdict.checkpointsByKey).sort()).toEqual([idA, idB].sort());
    expect(verdict.checkpointsByKey[idB]).toBeGreaterThan(0);
    const cli = await verifyCli(publicAB);
    expect(cli.code).toBe(0);
    expect(cli.verdict).toMatchObject({ valid: true, checkpointsByKey: verdict.checkpointsByKey });
  });

  it('with verifiers holding only B, the trail is invalid, naming the unknown key A', async () => {
    const problem = `is signed by key ${idA}, which is not among the verifying keys (${idB})`;
    const cli = await verifyCli(publicB);
    expect(cli.code).toBe(2);
    expect(cli.verdict).toMatchObject({ valid: false, problem: expect.stringContaining(problem) });
    // Every checkpoint's key is counted, known or not, so an operator sees which key is missing.
    expect(Object.keys(cli.verdict.checkpointsByKey).sort()).toEqual([idA, idB].sort());
    await stack.restart({ AUDIT_SEAL_PUBLIC_KEY_FILE: publicB });
    const verdict = await verifyApi();
    expect(verdict).toMatchObject({ valid: false, problem: cli.verdict.problem });
    expect(verdict.problem).toMatch(/^checkpoint \d+ is signed by key/);
  });
});
