import type { KeyObject } from 'node:crypto';
import { ConfigError } from '../config';
import type { AuditRepository, SealBatch, SealState } from '../db';
import { AuditChainRow, GENESIS_HASH, hashEvent } from './audit-hash';
import { checkpointProblem, keyIdOf, signCheckpoint, VerifyingKeys } from './audit-seal';

export const SEAL_BATCH_SIZE = 1000;
/**
 * A routine sealing pass looks only at events stamped within this window (an index range); an
 * audited transaction that stays open longer is sealed by the next full sweep.
 */
export const SEAL_LOOKBACK_MS = 60 * 60_000;

/** The chain does not end where the newest checkpoint says it does: sealing on would sign over tampering. */
export class SealRefusedError extends Error {}

/**
 * Extends the audit hash chain with committed events, a batch per transaction, and signs a
 * checkpoint for each batch. Safe to run in several processes: a database lock lets one seal at a time.
 * Chain order is the order the sealer sees events commit, not their ids, which may commit out of order.
 */
export class AuditSealer {
  /**
   * `verifyingKeys` is the set verifiers hold: this key's public half must be in it (else every
   * checkpoint signed from now on would fail verification), and the tail may be one a retired key signed.
   */
  constructor(
    private readonly repository: AuditRepository,
    private readonly privateKey: KeyObject,
    private readonly verifyingKeys: VerifyingKeys,
    private readonly batchSize = SEAL_BATCH_SIZE,
  ) {
    const keyId = keyIdOf(privateKey);
    if (!verifyingKeys.has(keyId))
      throw new ConfigError([
        `AUDIT_SEAL_KEY_FILE: its public key (key id ${keyId}) is not in AUDIT_SEAL_PUBLIC_KEY_FILE; add it there, and to every verifier, first`,
      ]);
  }

  /**
   * One batch. Returns how many events it sealed, or undefined when another sealer was at work.
   * `since` limits the search to events stamped from then on (see AuditRepository.sealNext).
   */
  sealOnce(since?: Date): Promise<number | undefined> {
    return this.repository.sealNext(this.batchSize, (state, events) => this.plan(state, events), since);
  }

  /** Seals until nothing waits (another sealer's turn counts as done for this round). */
  async sealAll(since?: Date): Promise<number> {
    let total = 0;
    for (let sealed = await this.sealOnce(since); sealed; sealed = await this.sealOnce(since)) total += sealed;
    return total;
  }

  private plan(state: SealState, events: AuditChainRow[]): SealBatch {
    this.checkTail(state);
    let position = BigInt(state.tail?.position ?? 0);
    let prevHash = state.tail?.hash ?? GENESIS_HASH;
    const links = events.map((event) => {
      const hash = hashEvent(prevHash, event);
      const link = { position: String(++position), eventId: event.id, prevHash, hash };
      prevHash = hash;
      return link;
    });
    return { links, checkpoint: signCheckpoint(this.privateKey, String(position), prevHash) };
  }

  /**
   * Only a tail signed by a verifying key (this one, or a retired one before a rotation) or the
   * inline chain inherited from before sealing is extended: the sealer and its checkpoint write
   * together, so anything else was changed behind its back.
   */
  private checkTail({ tail, checkpoint }: SealState): void {
    if (!checkpoint) {
      if (tail && !tail.inline) throw new SealRefusedError(`audit chain reaches position ${tail.position} but no checkpoint signs it`);
      return;
    }
    if (!tail || tail.position !== checkpoint.lastPosition || tail.hash !== checkpoint.headHash)
      throw new SealRefusedError(`audit chain tail (${tail?.position ?? 'none'}) is not the one checkpoint ${checkpoint.id} signed`);
    const problem = checkpointProblem(this.verifyingKeys, checkpoint);
    if (problem) throw new SealRefusedError(problem);
  }
}
