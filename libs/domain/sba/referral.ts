import type { SizeDetermination, SizeStatus } from './size-standard';

export type SbaReferralStatus = 'PENDING' | 'NEEDS_INFORMATION' | 'NOT_APPLICABLE';

/** A small member is referred; so is one whose size only SBA can determine (an asset-based or exception standard). */
const REFERRED: readonly SizeStatus[] = ['SMALL', 'SBA_TO_DETERMINE'];

/** Whether a member's determination sends it to SBA (EO 14320 sec. 4(c)(vi)). */
export function isReferredToSba(member: Pick<SizeDetermination, 'status'>): boolean {
  return REFERRED.includes(member.status);
}

/**
 * EO 14320 sec. 4(c)(vi), docs/spec.md section 2.4: the package is referred to SBA when some
 * member is small or needs SBA's own determination; missing size data is NEEDS_INFORMATION, never "not small".
 */
export function sbaReferralStatus(members: readonly Pick<SizeDetermination, 'status'>[]): SbaReferralStatus {
  if (members.some(isReferredToSba)) return 'PENDING';
  if (members.some((m) => m.status === 'NEEDS_INFORMATION')) return 'NEEDS_INFORMATION';
  return 'NOT_APPLICABLE';
}
