import { ApplicantEvent, applicantNotice } from '../../../libs/domain/intake/applicant-notifications';
import { PROPOSAL_STATUSES } from '../../../libs/domain/intake/proposal-status';
import { applicantNoticeFor } from '../../../libs/domain/tasks/applicant-notices';

const status = (over: Partial<Extract<ApplicantEvent, { kind: 'STATUS' }>>): ApplicantEvent => ({
  kind: 'STATUS',
  status: 'SCREENING',
  bySystem: true,
  deficiencies: [],
  amendBy: null,
  eligibilityReasons: [],
  ...over,
});

describe('applicant notices (docs/spec.md sections 1 and 2)', () => {
  it('returned for information: every deficiency code and the amend-by date', () => {
    const notice = applicantNotice('Andes AI stack', {
      ...status({ status: 'RETURNED_FOR_INFORMATION', amendBy: '2026-03-01T12:00:00.000Z' }),
      deficiencies: [
        { code: 'MISSING_HARDWARE', message: 'The hardware layer is missing' },
        { code: 'MISSING_BUSINESS_MODEL', message: 'The business model is missing' },
      ],
    } as ApplicantEvent);
    expect(notice?.subject).toContain('Andes AI stack');
    expect(notice?.body).toContain('MISSING_HARDWARE: The hardware layer is missing');
    expect(notice?.body).toContain('MISSING_BUSINESS_MODEL');
    expect(notice?.body).toContain('by 2026-03-01T12:00:00.000Z');
  });

  it('ineligible: the applicant-facing reasons, or the screening outcome without its notes', () => {
    const reasons = [{ code: 'NO_US_CONCERN', message: 'No member is a U.S. concern' }];
    expect(applicantNotice('T', status({ status: 'INELIGIBLE', eligibilityReasons: reasons }))?.body).toContain(
      'NO_US_CONCERN: No member is a U.S. concern',
    );
    expect(applicantNotice('T', status({ status: 'INELIGIBLE' }))?.body).toContain('export-control screening');
  });

  it('withdrawn: only when the amendment window lapsed, not at the applicant own request', () => {
    expect(applicantNotice('T', status({ status: 'WITHDRAWN', bySystem: true }))?.body).toContain('amendment window lapsed');
    expect(applicantNotice('T', status({ status: 'WITHDRAWN', bySystem: false }))).toBeNull();
  });

  it('tells no other status change (their outcomes come with the decision that made them)', () => {
    const told = PROPOSAL_STATUSES.filter((s) => applicantNotice('T', status({ status: s })));
    expect(told).toEqual(['RETURNED_FOR_INFORMATION', 'INELIGIBLE', 'WITHDRAWN']);
  });

  it('designation: the outcome only, for the two decisions', () => {
    expect(applicantNoticeFor('DESIGNATION_DECISION', 'DESIGNATE', 'T')?.body).toContain('designated a priority AI export package');
    expect(applicantNoticeFor('DESIGNATION_DECISION', 'DECLINE', 'T')?.body).toContain('not selected');
    expect(applicantNoticeFor('DESIGNATION_DECISION', 'NO_RESPONSE', 'T')).toBeNull();
    expect(applicantNoticeFor('AGENCY_REVIEW', 'NON_CONCUR', 'T')).toBeNull();
  });

  it('financing and SBA outcomes per instrument', () => {
    const committed = applicantNotice('T', {
      kind: 'FINANCING',
      instrument: 'Direct loan',
      agency: 'EXIM',
      committed: true,
      amountUsd: 2500000,
    });
    expect(committed).toEqual({
      subject: 'Financing committed: "T"',
      body: expect.stringContaining('EXIM committed USD 2,500,000 under Direct loan'),
    });
    const declined = applicantNotice('T', {
      kind: 'FINANCING',
      instrument: 'Political risk insurance',
      agency: 'DFC',
      committed: false,
      amountUsd: null,
    });
    expect(declined?.body).toContain('DFC declined the requested Political risk insurance');
    expect(applicantNotice('T', { kind: 'SBA', accepted: true })?.subject).toBe('SBA referral accepted: "T"');
    expect(applicantNotice('T', { kind: 'SBA', accepted: false })?.subject).toBe('SBA referral declined: "T"');
  });

  it('designation benefits: advocacy and licensing outcomes, nothing for a pending referral', () => {
    expect(applicantNotice('T', { kind: 'BENEFIT', benefit: 'advocacy', status: 'ACCEPTED' })).toEqual({
      subject: 'Advocacy accepted: "T"',
      body: expect.stringContaining('accepted your package for U.S. Government advocacy'),
    });
    expect(applicantNotice('T', { kind: 'BENEFIT', benefit: 'licensing', status: 'PRIORITIZED' })?.subject).toBe(
      'Licensing review prioritized: "T"',
    );
    expect(applicantNotice('T', { kind: 'BENEFIT', benefit: 'licensing', status: 'DECLINED' })?.body).toContain('ordinary course');
    expect(applicantNotice('T', { kind: 'BENEFIT', benefit: 'advocacy', status: 'PENDING' })).toBeNull();
  });
});
