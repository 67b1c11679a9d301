import { benefitReferrals, benefitStatusOf, licensingReviewFlags } from '../../../libs/domain/benefits/benefits';
import { membersToAsk, sizeInformationQuestion, withSuppliedSize } from '../../../libs/domain/sba/size-information';
import { determineSize, loadSbaSizeStandards } from '../../../libs/domain/sba/size-standard';
import { validateCompletion } from '../../../libs/domain/tasks/task-types';

describe('designation benefits (docs/spec.md section 2.3a)', () => {
  const licenseFlag = { code: 'LICENSE_REVIEW_ADVANCED_COMPUTING', message: '4A090 to AE' };
  const armsFlag = { code: 'TARGET_ARMS_EMBARGOED', message: 'D:5' };

  it('refers every designated package to ITA, and to BIS only when it carries a license-review flag', () => {
    const ids = { advocacy: 'a', licensing: 'l' };
    const unflagged = benefitReferrals({ flags: [armsFlag], targetMarkets: ['KE'], eccns: [] }, ids);
    expect(unflagged.map((r) => [r.benefit, r.taskId])).toEqual([['advocacy', 'a']]);
    expect((unflagged[0].form.documents as { code: string }[]).map((d) => d.code)).toEqual([
      'ADVOCACY_QUESTIONNAIRE',
      'ANTI_BRIBERY_AGREEMENT',
    ]);
    const flagged = benefitReferrals({ flags: [armsFlag, licenseFlag], targetMarkets: ['AE'], eccns: ['4A090'] }, ids);
    expect(flagged.map((r) => r.benefit)).toEqual(['advocacy', 'licensing']);
    expect(flagged[1].form).toEqual({ flags: [licenseFlag], eccns: ['4A090'] });
    expect(licensingReviewFlags([armsFlag, licenseFlag])).toEqual([licenseFlag]);
  });

  it.each([
    ['ACCEPT', 'ACCEPTED'],
    ['PRIORITIZE', 'PRIORITIZED'],
    ['DECLINE', 'DECLINED'],
  ])('records %s as %s', (decision, status) => expect(benefitStatusOf(decision)).toBe(status));

  it('accepts an advocacy referral only once an information request was answered; declines need a comment', () => {
    const fields = (decision: string, answered?: number, comment?: string) =>
      validateCompletion('ADVOCACY_REFERRAL', { decision, comment }, { answeredInformationRequests: answered }).map((p) => p.field);
    expect(fields('ACCEPT')).toEqual(['decision']);
    expect(fields('ACCEPT', 0)).toEqual(['decision']);
    expect(fields('ACCEPT', 1)).toEqual([]);
    expect(fields('DECLINE')).toEqual(['comment']);
    expect(fields('DECLINE', 0, 'No tender in view')).toEqual([]);
    // SBA's ACCEPT needs no such request.
    expect(validateCompletion('SBA_REFERRAL', { decision: 'ACCEPT' }).map((p) => p.field)).toEqual([]);
    expect(validateCompletion('LICENSING_REVIEW', { decision: 'PRIORITIZE' }).map((p) => p.field)).toEqual([]);
  });
});

describe('SBA size information (docs/spec.md section 2.4)', () => {
  const table = loadSbaSizeStandards();
  const member = { name: 'Blue River Data LLC', country: 'US', usConcern: true, averageAnnualReceiptsUsd: 12_000_000 };

  it('asks for what each member lacks and sizes it again with the answer', () => {
    const before = [{ name: member.name, ...determineSize(member, table) }];
    const asked = membersToAsk(before);
    expect(asked).toEqual([{ name: member.name, missing: ['naics'] }]);
    expect(sizeInformationQuestion(asked)).toContain('Blue River Data LLC: primary 6-digit NAICS code');
    const supplied = withSuppliedSize(member, { naics: '541512', employees: undefined });
    expect(supplied).toEqual({ ...member, naics: '541512' });
    expect(determineSize(supplied, table).status).toBe('SMALL');
    expect(withSuppliedSize(member, undefined)).toBe(member);
  });
});
