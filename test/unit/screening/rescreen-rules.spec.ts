import { isHeldByScreening, matchKey, newMatches, NOT_RESCREENED } from '../../../libs/domain/screening/rescreen';

const match = (role: string, listedName: string, source = 'Entity List (EL) - Bureau of Industry and Security') => ({
  role,
  listedName,
  source,
  entryId: `${role}:${listedName}`,
});

describe('continuous screening rules (docs/spec.md section 2.4a)', () => {
  it('re-screens every status but INELIGIBLE, NOT_SELECTED and WITHDRAWN (COMPLETED packages stay under watch)', () => {
    expect([...NOT_RESCREENED].sort()).toEqual(['INELIGIBLE', 'NOT_SELECTED', 'WITHDRAWN']);
  });

  it('finds as new only the matches not already known for the proposal, whatever their entry ids, once each', () => {
    const known = [match('member Acme', 'Huawei Technologies Co., Ltd.')];
    const renumbered = { ...match('member Acme', ' huawei technologies co., ltd. '), entryId: 'other-id' };
    const fresh = match('member Acme', 'Kestrel Optics Ltd');
    const otherRole = match('ultimate parent of Acme', 'Huawei Technologies Co., Ltd.');
    expect(newMatches([renumbered, fresh, fresh, otherRole], known)).toEqual([fresh, otherRole]);
    expect(newMatches([renumbered], known)).toEqual([]);
    expect(matchKey(fresh)).not.toBe(matchKey({ ...fresh, source: 'Specially Designated Nationals (SDN)' }));
  });

  it('holds the committing decisions only; declines stay possible', () => {
    expect(isHeldByScreening('DESIGNATION_DECISION', 'DESIGNATE')).toBe(true);
    expect(isHeldByScreening('FINANCING_REVIEW', 'COMMIT')).toBe(true);
    expect(isHeldByScreening('ADVOCACY_REFERRAL', 'ACCEPT')).toBe(true);
    expect(isHeldByScreening('LICENSING_REVIEW', 'PRIORITIZE')).toBe(true);
    for (const [type, decision] of [
      ['DESIGNATION_DECISION', 'DECLINE'],
      ['FINANCING_REVIEW', 'DECLINE'],
      ['ADVOCACY_REFERRAL', 'DECLINE'],
      ['LICENSING_REVIEW', 'DECLINE'],
      ['SBA_REFERRAL', 'ACCEPT'],
      ['AGENCY_REVIEW', 'CONCUR'],
    ] as const)
      expect(isHeldByScreening(type, decision)).toBe(false);
  });
});
