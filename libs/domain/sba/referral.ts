import type { SizeDetermination } from './size-standard';

export type SbaReferralStatus = 'PENDING' | 'NEEDS_INFORMATION' | 'NOT_APPLICABLE';

/**
 * EO 14320 sec. 4(c)(vi), docs/spec.md section 2.4: the package is referred to SBA when some
 * member is small; missing size data is NEEDS_INFORMATION, never "not small".
 */
export function sbaReferralStatus(members: readonly Pick<SizeDetermination, 'status'>[]): SbaReferralStatus {
  if (members.some((m) => m.status === 'SMALL')) return 'PENDING';
  if (members.some((m) => m.status === 'NEEDS_INFORMATION')) return 'NEEDS_INFORMATION';
  return 'NOT_APPLICABLE';
}
