import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { AppConfig, ConfigError, projectPath } from '../config';
import { AuditChainRow, canonicalJson, GENESIS_HASH, hashEvent } from './audit-hash';

/** What a checkpoint signs: the chain's head at a position, in the spirit of a CT signed tree head. */
export interface CheckpointStatement {
  lastPosition: string;
  headHash: string;
  signedAt: Date;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointStatement {
  /** Ed25519 signature (base64) over canonicalJson of the statement. */
  signature: string;
}

export interface StoredCheckpoint extends SignedCheckpoint {
  id: string;
}

/** One sealed link as stored, with the event it points at (null when that event is gone). */
export interface SealedLink {
  position: string;
  eventId: string;
  prevHash: string;
  hash: string;
  event: AuditChainRow | null;
}

/** The outcome of GET /audit/verify. `valid` and `events` keep their meaning from before sealing. */
export interface ChainVerdict {
  valid: boolean;
  /** Every event in audit_event, sealed or not. */
  events: number;
  sealed: number;
  /** Events committed but not yet sealed: the sealer's backlog. */
  pending: number;
  /** Age of the oldest unsealed event in seconds (0 when none wait). */
  lagSeconds: number;
  checkpoints: number;
  /** Checkpoints per signing key id: after a rotation, new ones are counted under the new key. */
  checkpointsByKey: Record<string, number>;
  /** When the newest checkpoint was signed (the sealer's last signature), absent when none exists. */
  lastCheckpointAt?: string;
  /** Identity values missing above the newest sealed event: a deleted unsealed event or, just as well, a rolled-back append. */
  unsealedGaps: number;
  /** Event id at the first position that does not check out. */
  firstBrokenAt?: string;
  /** Why, briefly. */
  problem?: string;
}

export type ChainCounts = Pick<ChainVerdict, 'events' | 'pending' | 'lagSeconds' | 'unsealedGaps'>;

/** Identifies a key in checkpoints: the start of the SHA-256 of its public SPKI DER. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** The public keys a verifier trusts (the current sealing key's and retired ones), by key id. */
export type VerifyingKeys = ReadonlyMap<string, KeyObject>;

export function verifyingKeySet(keys: KeyObject[]): VerifyingKeys {
  return new Map(keys.map((key) => [keyIdOf(key), key]));
}

/**
 * Checks a checkpoint with the key its keyId names; the reason when it does not verify. A key id
 * outside the set is never trusted: the id is only a name, the signature under that key is the proof.
 */
export function checkpointProblem(keys: VerifyingKeys, checkpoint: StoredCheckpoint): string | undefined {
  const name = `checkpoint ${checkpoint.id}`;
  const key = keys.get(checkpoint.keyId);
  if (!key)
    return `${name} is signed by key ${checkpoint.keyId}, which is not among the verifying keys (${[...keys.keys()].join(', ') || 'none'})`;
  if (!checkpointSignedBy(key, checkpoint)) return `${name} is not signed by key ${checkpoint.keyId}`;
  return undefined;
}

const statementText = (s: CheckpointStatement): string =>
  canonicalJson({ lastPosition: s.lastPosition, headHash: s.headHash, signedAt: s.signedAt, keyId: s.keyId });

export function signCheckpoint(privateKey: KeyObject, lastPosition: string, headHash: string, signedAt = new Date()): SignedCheckpoint {
  const statement = { lastPosition, headHash, signedAt, keyId: keyIdOf(privateKey) };
  return { ...statement, signature: sign(null, Buffer.from(statementText(statement)), privateKey).toString('base64') };
}

/** Whether this public key signed exactly this statement. */
export function checkpointSignedBy(publicKey: KeyObject, checkpoint: SignedCheckpoint): boolean {
  if (checkpoint.keyId !== keyIdOf(publicKey)) return false;
  return verify(null, Buffer.from(statementText(checkpoint)), publicKey, Buffer.from(checkpoint.signature, 'base64'));
}

/**
 * Checks sealed links in position order, each checkpoint right after the link at its position (or
 * after the last link when it points past the end). Without the private key, a rewrite can make the
 * hashes agree again but not the signatures; a cut-off tail leaves a checkpoint beyond the end or
 * links no checkpoint covers. Only the first problem is reported; the rest is just counted.
 */
export class SealedChainVerifier {
  private position = 0;
  private head = GENESIS_HASH;
  private headEventId?: string;
  private sealed = 0;
  private checkpoints = 0;
  private readonly byKey: Record<string, number> = {};
  private sawSealerLink = false;
  /** The first event sealed by the sealer (not inherited from the inline chain) that no checkpoint covers yet. */
  private uncovered?: string;
  /** A checkpoint past the chain walked so far: the next link shows the gap where it is, else the tail was cut. */
  private ahead?: StoredCheckpoint;
  private broken?: { at?: string; problem: string };
  private lastSignedAt?: Date;

  constructor(private readonly keys: VerifyingKeys) {}

  addLink(link: SealedLink): void {
    this.sealed += 1;
    if (this.broken) return;
    const at = link.eventId;
    if (String(this.position + 1) !== link.position) return this.fail(at, `chain position ${this.position + 1} is missing`);
    if (!link.event) return this.fail(at, `sealed event ${at} is missing from audit_event`);
    if (link.prevHash !== this.head) return this.fail(at, `event ${at} does not link to the event before it`);
    if (link.hash !== hashEvent(link.prevHash, link.event)) return this.fail(at, `event ${at} does not match its sealed hash`);
    // Events from before sealing keep their inline hashes; they must agree and come first.
    const inline = link.event.hash !== null;
    if (inline && (this.sawSealerLink || link.event.hash !== link.hash || link.event.prevHash !== link.prevHash))
      return this.fail(at, `event ${at} does not match its inline hash`);
    if (!inline) {
      this.sawSealerLink = true;
      this.uncovered ??= at;
    }
    this.position += 1;
    this.head = link.hash;
    this.headEventId = at;
  }

  addCheckpoint(checkpoint: StoredCheckpoint): void {
    this.checkpoints += 1;
    this.byKey[checkpoint.keyId] = (this.byKey[checkpoint.keyId] ?? 0) + 1;
    const signedAt = new Date(checkpoint.signedAt);
    if (!Number.isNaN(signedAt.getTime()) && (!this.lastSignedAt || signedAt > this.lastSignedAt)) this.lastSignedAt = signedAt;
    if (this.broken) return;
    const name = `checkpoint ${checkpoint.id}`;
    if (Number(checkpoint.lastPosition) > this.position) {
      // Links of this checkpoint are missing: the next link names the first gap (a deleted event), else the tail was cut.
      this.ahead ??= checkpoint;
      return;
    }
    if (checkpoint.lastPosition !== String(this.position))
      return this.fail(undefined, `${name} covers position ${checkpoint.lastPosition} but the chain ends at ${this.position}`);
    if (checkpoint.headHash !== this.head)
      return this.fail(this.headEventId, `${name} does not match the chain at position ${this.position}`);
    const problem = checkpointProblem(this.keys, checkpoint);
    if (problem) return this.fail(this.headEventId, problem);
    this.uncovered = undefined;
  }

  verdict(counts: ChainCounts): ChainVerdict {
    if (!this.broken && this.ahead)
      this.fail(undefined, `checkpoint ${this.ahead.id} covers position ${this.ahead.lastPosition} but the chain ends at ${this.position}`);
    if (!this.broken && this.uncovered !== undefined)
      this.fail(this.uncovered, `events sealed from ${this.uncovered} on are covered by no checkpoint`);
    const verdict: ChainVerdict = {
      valid: !this.broken,
      ...counts,
      sealed: this.sealed,
      checkpoints: this.checkpoints,
      checkpointsByKey: this.byKey,
    };
    if (this.lastSignedAt) verdict.lastCheckpointAt = this.lastSignedAt.toISOString();
    if (this.broken?.at !== undefined) verdict.firstBrokenAt = this.broken.at;
    if (this.broken) verdict.problem = this.broken.problem;
    return verdict;
  }

  private fail(at: string | undefined, problem: string): void {
    this.broken = { at, problem };
  }
}

const GENERATED_KEY_FILE = 'audit-seal-key.pem';

/** Where a relative DATA_DIR points: the checkout, as for `npm start`, so every process of a checkout agrees. */
const dataPath = (config: AppConfig, file: string): string =>
  isAbsolute(config.dataDir) ? join(config.dataDir, file) : projectPath(config.dataDir, file);

/**
 * The sealer's private key: AUDIT_SEAL_KEY_FILE (required in production), otherwise a key generated
 * once into the data directory and reused, so a development API and worker agree on it.
 */
export function loadSealingKey(config: AppConfig): KeyObject {
  const { sealKeyFile } = config.audit;
  if (sealKeyFile) return readPrivateKey(sealKeyFile);
  if (config.env === 'production') throw new ConfigError(['AUDIT_SEAL_KEY_FILE: required in production to seal the audit chain']);
  return readPrivateKey(generatedKeyFile(dataPath(config, GENERATED_KEY_FILE)));
}

/** The keys verifiers hold: AUDIT_SEAL_PUBLIC_KEY_FILE's (validated by loadConfig), else the private key's public half. */
export function loadVerifyingKeys(config: AppConfig): VerifyingKeys {
  return verifyingKeySet(config.audit.publicKeys ?? [createPublicKey(loadSealingKey(config))]);
}

function readPrivateKey(file: string): KeyObject {
  const key = createPrivateKey(readFileSync(file));
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError([`AUDIT_SEAL_KEY_FILE: ${file} is not an Ed25519 private key`]);
  return key;
}

/** Creates the key file unless it exists; link() is atomic, so processes starting together end up with one key. */
function generatedKeyFile(file: string): string {
  if (existsSync(file)) return file;
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.tmp`;
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(draft, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return file;
}
