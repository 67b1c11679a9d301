import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditChainRow,
  AuditSealer,
  ChainCounts,
  checkpointSignedBy,
  GENESIS_HASH,
  hashEvent,
  keyIdOf,
  loadSealingKey,
  loadVerifyingKeys,
  SealedChainVerifier,
  SealedLink,
  SealRefusedError,
  signCheckpoint,
  StoredCheckpoint,
  verifyingKeySet,
} from '../../../libs/audit';
import { ConfigError, loadConfig } from '../../../libs/config';
import type { AuditRepository, SealBatch, SealState } from '../../../libs/db';

const event = (n: number): AuditChainRow => ({
  id: String(n),
  at: new Date(Date.UTC(2026, 0, 5, 12, 0, n, 123)),
  actor: 'commerce.reviewer',
  role: 'REVIEWER',
  agency: 'COMMERCE',
  action: 'TASK_COMPLETED',
  subjectType: 'task',
  subjectId: `task-${n}`,
  before: { status: 'CLAIMED' },
  after: { status: 'COMPLETED', decision: { position: 'CONCUR', conditions: ['c1'] } },
  reason: null,
  requestId: `req-${n}`,
  prevHash: null,
  hash: null,
});

/** audit_event, audit_chain and audit_checkpoint in memory, behind the repository's sealing method. */
class MemoryTrail {
  events: AuditChainRow[] = [];
  links: SealBatch['links'] = [];
  checkpoints: StoredCheckpoint[] = [];

  readonly repository = {
    sealNext: async (limit: number, plan: (state: SealState, events: AuditChainRow[]) => SealBatch): Promise<number> => {
      const sealed = new Set(this.links.map((l) => l.eventId));
      const pending = this.events.filter((e) => !sealed.has(e.id)).slice(0, limit);
      if (!pending.length) return 0;
      const tail = this.links.at(-1);
      const inline = tail ? this.events.find((e) => e.id === tail.eventId)?.hash != null : false;
      const batch = plan({ tail: tail ? { ...tail, inline } : null, checkpoint: this.checkpoints.at(-1) ?? null }, pending);
      this.links.push(...batch.links);
      this.checkpoints.push({ ...batch.checkpoint, id: String(this.checkpoints.length + 1) });
      return batch.links.length;
    },
  } as unknown as AuditRepository;

  record(...ns: number[]): void {
    this.events.push(...ns.map(event));
  }

  /** What GET /audit/verify would say with these verifying keys, fed the way AuditRepository.scanChain feeds it. */
  verify(...publicKeys: KeyObject[]): ReturnType<SealedChainVerifier['verdict']> {
    const verifier = new SealedChainVerifier(verifyingKeySet(publicKeys));
    const byId = new Map(this.events.map((e) => [e.id, e]));
    const checkpoints = [...this.checkpoints];
    for (const link of this.links) {
      while (checkpoints.length && BigInt(checkpoints[0].lastPosition) < BigInt(link.position))
        verifier.addCheckpoint(checkpoints.shift()!);
      verifier.addLink({ ...link, event: byId.get(link.eventId) ?? null } satisfies SealedLink);
    }
    checkpoints.forEach((c) => verifier.addCheckpoint(c));
    const counts: ChainCounts = { events: this.events.length, pending: 0, lagSeconds: 0, unsealedGaps: 0 };
    return verifier.verdict(counts);
  }
}

describe('audit sealing', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  let trail: MemoryTrail;
  let sealer: AuditSealer;

  beforeEach(() => {
    trail = new MemoryTrail();
    sealer = new AuditSealer(trail.repository, privateKey, verifyingKeySet([publicKey]), 3);
  });

  it('extends the chain a batch at a time, linking each event to the one before, with one checkpoint per batch', async () => {
    trail.record(1, 2, 3, 4);
    expect(await sealer.sealOnce()).toBe(3);
    trail.record(6, 5); // 6 committed before 5: chain order is the order the sealer sees them
    expect(await sealer.sealAll()).toBe(3);
    expect(trail.links.map((l) => [l.position, l.eventId])).toEqual([
      ['1', '1'],
      ['2', '2'],
      ['3', '3'],
      ['4', '4'],
      ['5', '6'],
      ['6', '5'],
    ]);
    expect(trail.links[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < trail.links.length; i++) expect(trail.links[i].prevHash).toBe(trail.links[i - 1].hash);
    expect(trail.links[4].hash).toBe(hashEvent(trail.links[3].hash, event(6)));
    expect(trail.checkpoints.map((c) => [c.lastPosition, c.headHash])).toEqual([
      ['3', trail.links[2].hash],
      ['6', trail.links[5].hash],
    ]);
    expect(trail.verify(publicKey)).toEqual({
      valid: true,
      events: 6,
      sealed: 6,
      checkpoints: 2,
      checkpointsByKey: { [keyIdOf(publicKey)]: 2 },
      lastCheckpointAt: new Date(Math.max(...trail.checkpoints.map((c) => new Date(c.signedAt).getTime()))).toISOString(),
      pending: 0,
      lagSeconds: 0,
      unsealedGaps: 0,
    });
    expect(trail.verify()).toMatchObject({
      valid: false,
      problem: `checkpoint 1 is signed by key ${keyIdOf(publicKey)}, which is not among the verifying keys (none)`,
    });
  });

  it('signs checkpoints that verify with the public key only, and only as signed', () => {
    const checkpoint = signCheckpoint(privateKey, '42', 'ab'.repeat(32), new Date('2026-01-05T00:00:00Z'));
    expect(checkpointSignedBy(publicKey, checkpoint)).toBe(true);
    expect(checkpointSignedBy(publicKey, { ...checkpoint, lastPosition: '43' })).toBe(false);
    expect(checkpointSignedBy(publicKey, { ...checkpoint, headHash: 'cd'.repeat(32) })).toBe(false);
    expect(checkpointSignedBy(publicKey, { ...checkpoint, signedAt: new Date('2026-01-05T00:00:01Z') })).toBe(false);
    expect(checkpointSignedBy(other.publicKey, checkpoint)).toBe(false);
  });

  it('refuses a checkpoint signed with another key', async () => {
    trail.record(1, 2);
    await sealer.sealAll();
    const forged = signCheckpoint(other.privateKey, '2', trail.links[1].hash);
    trail.checkpoints[0] = { ...forged, id: '1' };
    expect(trail.verify(publicKey)).toMatchObject({
      valid: false,
      firstBrokenAt: '2',
      problem: `checkpoint 1 is signed by key ${keyIdOf(other.publicKey)}, which is not among the verifying keys (${keyIdOf(publicKey)})`,
    });
    // The same forgery with this key's id written on it still does not verify.
    trail.checkpoints[0] = { ...forged, keyId: signCheckpoint(privateKey, '2', 'x').keyId, id: '1' };
    expect(trail.verify(publicKey)).toMatchObject({ valid: false, problem: expect.stringMatching(/^checkpoint 1 is not signed/) });
  });

  it('detects a consistent rewrite (edited event, every later hash recomputed) by the checkpoint signature', async () => {
    trail.record(1, 2, 3, 4, 5, 6);
    await sealer.sealAll();
    expect(trail.verify(publicKey).valid).toBe(true);
    // Without the private key: edit event 2, then recompute the links from there and the checkpoints' heads.
    trail.events[1] = { ...trail.events[1], after: { status: 'COMPLETED', decision: { position: 'NON_CONCUR' } } };
    let prevHash = trail.links[0].hash;
    for (const link of trail.links.slice(1)) {
      link.prevHash = prevHash;
      link.hash = prevHash = hashEvent(
        prevHash,
        trail.events.find((e) => e.id === link.eventId)!,
      );
    }
    for (const c of trail.checkpoints) c.headHash = trail.links[Number(c.lastPosition) - 1].hash;
    expect(trail.verify(publicKey)).toMatchObject({
      valid: false,
      firstBrokenAt: '3',
      problem: `checkpoint 1 is not signed by key ${signCheckpoint(privateKey, '1', 'x').keyId}`,
    });
    // Leaving the checkpoints alone is caught as a head that no longer matches.
    for (const c of trail.checkpoints) c.headHash = 'stale';
    expect(trail.verify(publicKey)).toMatchObject({ valid: false, problem: 'checkpoint 1 does not match the chain at position 3' });
  });

  it('detects an edited event, a deleted link, a reordering and a cut-off tail', async () => {
    trail.record(1, 2, 3, 4, 5);
    await sealer.sealAll();
    const intact = structuredClone({ events: trail.events, links: trail.links, checkpoints: trail.checkpoints });
    const reset = () => Object.assign(trail, structuredClone(intact));

    trail.events[2] = { ...trail.events[2], reason: 'edited later' };
    expect(trail.verify(publicKey)).toMatchObject({ valid: false, firstBrokenAt: '3', problem: 'event 3 does not match its sealed hash' });
    reset();
    trail.events.splice(3, 1);
    expect(trail.verify(publicKey)).toMatchObject({
      valid: false,
      events: 4,
      firstBrokenAt: '4',
      problem: 'sealed event 4 is missing from audit_event',
    });
    reset();
    trail.links.splice(1, 1);
    expect(trail.verify(publicKey)).toMatchObject({ valid: false, firstBrokenAt: '3', problem: 'chain position 2 is missing' });
    reset();
    // The deleted link is the last one a checkpoint covers: the gap is still named at the link after it.
    trail.links.splice(2, 1);
    expect(trail.verify(publicKey)).toMatchObject({ valid: false, firstBrokenAt: '4', problem: 'chain position 3 is missing' });
    reset();
    [trail.links[0].eventId, trail.links[1].eventId] = [trail.links[1].eventId, trail.links[0].eventId];
    expect(trail.verify(publicKey)).toMatchObject({ valid: false, firstBrokenAt: '2' });
    reset();
    trail.links.splice(4);
    expect(trail.verify(publicKey)).toMatchObject({ valid: false, problem: 'checkpoint 2 covers position 5 but the chain ends at 4' });
    reset();
    trail.checkpoints.splice(1);
    expect(trail.verify(publicKey)).toMatchObject({
      valid: false,
      firstBrokenAt: '4',
      problem: 'events sealed from 4 on are covered by no checkpoint',
    });
  });

  it('accepts the inline chain from before sealing as the first segment, and extends it', async () => {
    let prevHash = GENESIS_HASH;
    for (const n of [1, 2]) {
      const hash = hashEvent(prevHash, event(n));
      trail.events.push({ ...event(n), prevHash, hash });
      trail.links.push({ position: String(n), eventId: String(n), prevHash, hash });
      prevHash = hash;
    }
    expect(trail.verify(publicKey)).toMatchObject({ valid: true, sealed: 2, checkpoints: 0 });
    trail.record(3);
    await sealer.sealAll();
    expect(trail.verify(publicKey)).toMatchObject({ valid: true, sealed: 3, checkpoints: 1 });
    trail.events[0] = { ...trail.events[0], hash: 'f'.repeat(64) };
    expect(trail.verify(publicKey)).toMatchObject({ valid: false, firstBrokenAt: '1', problem: 'event 1 does not match its inline hash' });
  });

  it('will not seal on top of a tail its checkpoint does not sign', async () => {
    trail.record(1, 2);
    await sealer.sealAll();
    trail.links.pop();
    trail.record(3);
    await expect(sealer.sealOnce()).rejects.toThrow(SealRefusedError);
    expect(trail.links).toHaveLength(1);
    const keys = verifyingKeySet([publicKey, other.publicKey]);
    await expect(new AuditSealer(trail.repository, other.privateKey, keys).sealOnce()).rejects.toThrow(SealRefusedError);
  });
});

describe('audit sealing keys', () => {
  const pem = (key: KeyObject, type: 'pkcs8' | 'spki') => key.export({ type, format: 'pem' }) as string;
  const onlyKey = (keys: ReadonlyMap<string, KeyObject>) => {
    expect(keys.size).toBe(1);
    return [...keys.values()][0];
  };

  it('outside production, generates one private key into the data dir (mode 0600) and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-key-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const first = loadSealingKey(config);
    const file = join(dataDir, 'audit-seal-key.pem');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(pem(loadSealingKey(config), 'pkcs8')).toBe(pem(first, 'pkcs8'));
    expect(readFileSync(file, 'utf8')).toBe(pem(first, 'pkcs8'));
    expect(pem(onlyKey(loadVerifyingKeys(config)), 'spki')).toBe(pem(createPublicKey(first), 'spki'));
  });

  it('reads configured key files and prefers the public one for verifying', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-key-'));
    const pair = generateKeyPairSync('ed25519');
    const verifying = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'private.pem'), pem(pair.privateKey, 'pkcs8'));
    writeFileSync(join(dir, 'public.pem'), pem(verifying.publicKey, 'spki'));
    const config = loadConfig({ NODE_ENV: 'test', AUDIT_SEAL_KEY_FILE: join(dir, 'private.pem'), DATA_DIR: dir });
    expect(pem(loadSealingKey(config), 'pkcs8')).toBe(pem(pair.privateKey, 'pkcs8'));
    expect(pem(onlyKey(loadVerifyingKeys(config)), 'spki')).toBe(pem(pair.publicKey, 'spki'));
    const both = loadConfig({
      NODE_ENV: 'test',
      AUDIT_SEAL_KEY_FILE: join(dir, 'private.pem'),
      AUDIT_SEAL_PUBLIC_KEY_FILE: join(dir, 'public.pem'),
    });
    expect(pem(onlyKey(loadVerifyingKeys(both)), 'spki')).toBe(pem(verifying.publicKey, 'spki'));
  });

  it('refuses a key that is not Ed25519', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-key-'));
    writeFileSync(join(dir, 'ec.pem'), pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'pkcs8'));
    expect(() => loadSealingKey(loadConfig({ NODE_ENV: 'test', AUDIT_SEAL_KEY_FILE: join(dir, 'ec.pem') }))).toThrow(ConfigError);
  });

  it('in production, never generates a key: the sealer needs AUDIT_SEAL_KEY_FILE', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-key-'));
    writeFileSync(join(dataDir, 'k.pem'), pem(generateKeyPairSync('ed25519').publicKey, 'spki'));
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      AUDIT_SEAL_PUBLIC_KEY_FILE: join(dataDir, 'k.pem'),
      DATA_DIR: dataDir,
    });
    expect(() => loadSealingKey(config)).toThrow(/AUDIT_SEAL_KEY_FILE: required in production/);
  });
});

describe('audit sealing key rotation', () => {
  const a = generateKeyPairSync('ed25519');
  const b = generateKeyPairSync('ed25519');
  const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }) as string;

  it('names a key by the first 16 hex digits of the SHA-256 of its SPKI DER, the same from either half', () => {
    const der = a.publicKey.export({ type: 'spki', format: 'der' });
    expect(keyIdOf(a.publicKey)).toBe(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(keyIdOf(a.privateKey)).toBe(keyIdOf(a.publicKey));
    expect(keyIdOf(b.publicKey)).not.toBe(keyIdOf(a.publicKey));
    expect(signCheckpoint(b.privateKey, '1', 'x').keyId).toBe(keyIdOf(b.publicKey));
  });

  it('verifies each checkpoint with the key it names: valid with {A, B} after a rotation, invalid naming the key the set lacks', async () => {
    const trail = new MemoryTrail();
    trail.record(1, 2, 3, 4);
    await new AuditSealer(trail.repository, a.privateKey, verifyingKeySet([a.publicKey]), 2).sealAll();
    // Rotation: the sealer restarts with B; verifiers hold A (older checkpoints) and B.
    const both = verifyingKeySet([a.publicKey, b.publicKey]);
    trail.record(5, 6, 7);
    expect(await new AuditSealer(trail.repository, b.privateKey, both, 2).sealAll()).toBe(3);
    expect(trail.checkpoints.map((c) => c.keyId)).toEqual([
      keyIdOf(a.publicKey),
      keyIdOf(a.publicKey),
      keyIdOf(b.publicKey),
      keyIdOf(b.publicKey),
    ]);
    expect(trail.verify(a.publicKey, b.publicKey)).toMatchObject({
      valid: true,
      sealed: 7,
      checkpoints: 4,
      checkpointsByKey: { [keyIdOf(a.publicKey)]: 2, [keyIdOf(b.publicKey)]: 2 },
    });
    expect(trail.verify(b.publicKey)).toMatchObject({
      valid: false,
      firstBrokenAt: '2',
      problem: `checkpoint 1 is signed by key ${keyIdOf(a.publicKey)}, which is not among the verifying keys (${keyIdOf(b.publicKey)})`,
    });
    expect(trail.verify(a.publicKey)).toMatchObject({
      valid: false,
      firstBrokenAt: '6',
      problem: `checkpoint 3 is signed by key ${keyIdOf(b.publicKey)}, which is not among the verifying keys (${keyIdOf(a.publicKey)})`,
    });
  });

  it('refuses to start a sealer whose key verifiers do not hold, and to extend a tail signed by a key outside the set', async () => {
    const trail = new MemoryTrail();
    expect(() => new AuditSealer(trail.repository, b.privateKey, verifyingKeySet([a.publicKey]))).toThrow(ConfigError);
    expect(() => new AuditSealer(trail.repository, b.privateKey, verifyingKeySet([a.publicKey]))).toThrow(
      `AUDIT_SEAL_KEY_FILE: its public key (key id ${keyIdOf(b.publicKey)}) is not in AUDIT_SEAL_PUBLIC_KEY_FILE`,
    );
    trail.record(1);
    await new AuditSealer(trail.repository, a.privateKey, verifyingKeySet([a.publicKey])).sealAll();
    trail.record(2);
    await expect(new AuditSealer(trail.repository, b.privateKey, verifyingKeySet([b.publicKey])).sealOnce()).rejects.toThrow(
      new SealRefusedError(
        `checkpoint 1 is signed by key ${keyIdOf(a.publicKey)}, which is not among the verifying keys (${keyIdOf(b.publicKey)})`,
      ),
    );
    expect(trail.links).toHaveLength(1);
  });

  it('reads every PEM public key in AUDIT_SEAL_PUBLIC_KEY_FILE, and reports bad ones as configuration problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-key-'));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const keys = loadVerifyingKeys(
      loadConfig({
        NODE_ENV: 'test',
        AUDIT_SEAL_PUBLIC_KEY_FILE: file('set.pem', `# retired\n${pem(a.publicKey)}# current\n${pem(b.publicKey)}`),
      }),
    );
    expect([...keys.keys()]).toEqual([keyIdOf(a.publicKey), keyIdOf(b.publicKey)]);
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig({ NODE_ENV: 'test', ...env });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      throw new Error('accepted');
    };
    const ec = pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    expect(problems({ AUDIT_SEAL_PUBLIC_KEY_FILE: file('mixed.pem', pem(a.publicKey) + ec) })).toEqual([
      `AUDIT_SEAL_PUBLIC_KEY_FILE: key 2 in ${join(dir, 'mixed.pem')} is not an Ed25519 public key`,
    ]);
    expect(
      problems({ AUDIT_SEAL_PUBLIC_KEY_FILE: file('garbled.pem', '-----BEGIN PUBLIC KEY-----\nbm9wZQ==\n-----END PUBLIC KEY-----\n') }),
    ).toEqual([`AUDIT_SEAL_PUBLIC_KEY_FILE: key 1 in ${join(dir, 'garbled.pem')} is not an Ed25519 public key`]);
    expect(problems({ AUDIT_SEAL_PUBLIC_KEY_FILE: file('empty.pem', '\n') })).toEqual([
      `AUDIT_SEAL_PUBLIC_KEY_FILE: ${join(dir, 'empty.pem')} holds no PEM public key`,
    ]);
    expect(problems({ AUDIT_SEAL_PUBLIC_KEY_FILE: join(dir, 'missing.pem') })).toEqual([
      `AUDIT_SEAL_PUBLIC_KEY_FILE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`,
    ]);
  });
});
