import { minimalPdf, uploadDocument } from '../support/documents';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';

type Body = ReturnType<typeof completeProposal>;

/**
 * The contract as written (docs/spec.md sections 2.1 and 7), each case as an outside client found it:
 * a partly filled section is a deficiency, a blank required identifier is malformed, and milestone
 * evidence may be a statement or an object.
 */
describe('contract cases through the API', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const submit = (body: unknown) => stack.as('applicant.acme', 'POST', '/api/v1/proposals', body);
  const deficienciesOnceReturned = (id: string) =>
    stack.eventually(`proposal ${id} to be RETURNED_FOR_INFORMATION`, async () => {
      const p = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
      return p.status === 'RETURNED_FOR_INFORMATION' && (p.deficiencies as { code: string; eoRef: string }[]);
    });
  const withSection = (change: (body: Body) => void): Body => {
    const body = completeProposal();
    change(body);
    return body;
  };

  describe('a section present but only partly filled in is a deficiency, not a 400 (section 2.1)', () => {
    const cases: [string, (body: Body) => void, string, string][] = [
      [
        'a business model naming a builder and owner but no operator',
        (b) => (b.businessModel = { builder: 'Acme Compute Inc.', owner: 'Kenya Digital Infrastructure Ltd.' } as Body['businessModel']),
        'MISSING_BUSINESS_MODEL',
        '3(b)(iii)',
      ],
      [
        'hardware without a description',
        (b) =>
          (b.stack.hardware = { usContentPct: 72, usManufacturingStatement: 'Servers assembled in Texas' } as Body['stack']['hardware']),
        'MISSING_HARDWARE',
        '3(b)(i)(A)',
      ],
      [
        'an application without a description',
        (b) => (b.stack.applications = [{ sector: 'HEALTHCARE' }] as Body['stack']['applications']),
        'MISSING_APPLICATIONS',
        '3(b)(i)(E)',
      ],
      [
        'compliance without the attestation',
        (b) => (b.compliance = { outboundInvestmentAttestation: true } as Body['compliance']),
        'MISSING_COMPLIANCE_ATTESTATION',
        '3(b)(v)',
      ],
      [
        'data pipelines without a description',
        (b) => (b.stack.dataPipelines = {} as Body['stack']['dataPipelines']),
        'MISSING_DATA_PIPELINES',
        '3(b)(i)(B)',
      ],
      ['models without a description', (b) => (b.stack.models = {} as Body['stack']['models']), 'MISSING_MODELS', '3(b)(i)(C)'],
      ['security without a description', (b) => (b.stack.security = {} as Body['stack']['security']), 'MISSING_SECURITY', '3(b)(i)(D)'],
    ];

    it.each(cases)('%s comes back RETURNED_FOR_INFORMATION with its code', async (_case, change, code, eoRef) => {
      const res = await submit(withSection(change));
      expect(res.status).toBe(201);

      expect(await deficienciesOnceReturned(res.body.id)).toEqual([expect.objectContaining({ code, eoRef })]);
    });

    it('re-runs the whole check on an amendment: a partial section amended in stays a deficiency', async () => {
      const res = await submit(withSection((b) => (b.businessModel = { builder: 'Acme Compute Inc.' } as Body['businessModel'])));
      await deficienciesOnceReturned(res.body.id);

      const amended = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${res.body.id}/amendments`, {
        businessModel: completeProposal().businessModel,
        compliance: {},
      });
      expect(amended.status).toBe(202);

      const codes = await stack.eventually('the amended proposal to be returned again', async () => {
        const p = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${res.body.id}`)).body;
        const found = (p.deficiencies as { code: string }[]).map((d) => d.code).join();
        return p.status === 'RETURNED_FOR_INFORMATION' && found !== 'MISSING_BUSINESS_MODEL' && found;
      });
      expect(codes).toBe('MISSING_COMPLIANCE_ATTESTATION');
    });

    it('still refuses malformed content of a section with 400: wrong types and unknown fields', async () => {
      const res = await submit(
        withSection((b) => {
          (b.businessModel as Record<string, unknown>).operator = 42;
          (b.compliance as Record<string, unknown>).attested = true;
        }),
      );

      expect(res.status).toBe(400);
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'businessModel.operator' }),
          expect.objectContaining({ field: 'compliance.attested' }),
        ]),
      );
    });
  });

  describe('a blank required identifier is malformed: 400 naming the field (section 7)', () => {
    const blankCases: [string, (body: Body) => void, string][] = [
      ['title', (b) => (b.title = '   '), 'title'],
      ['consortium.name', (b) => (b.consortium.name = ' '), 'consortium.name'],
      ['consortium.anchorMember', (b) => (b.consortium.anchorMember = '\t'), 'consortium.anchorMember'],
      ['a member name', (b) => (b.consortium.members[1].name = ' \n '), 'consortium.members[1].name'],
    ];

    it.each(blankCases)('a blank %s on POST /proposals', async (_case, change, field) => {
      const res = await submit(withSection(change));

      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field, message: `${field} must not be blank` }]);
    });

    it('names every blank identifier of one request', async () => {
      const res = await submit(
        withSection((b) => {
          b.title = ' ';
          b.consortium.name = ' ';
        }),
      );

      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['title', 'consortium.name']);
    });

    const otherEndpoints: [string, string, string, () => Promise<string>, unknown, string][] = [
      [
        'a withdrawal reason',
        'applicant.acme',
        'POST',
        async () => `/api/v1/proposals/${await aProposal()}/withdrawal`,
        { reason: ' ' },
        'reason',
      ],
      ['a program name', 'program.manager', 'POST', async () => '/api/v1/programs', { name: ' ', startDate: '2025-07-23' }, 'name'],
      [
        'a milestone title',
        'program.manager',
        'POST',
        async () => '/api/v1/programs',
        { name: 'Blank milestone', startDate: '2025-07-23', milestones: [{ title: '  ', ownerAgency: 'STATE', dueDay: 10 }] },
        'milestones[0].title',
      ],
      ['a login username', 'anonymous', 'POST', async () => '/api/v1/auth/login', { username: ' ', password: 'exports-demo' }, 'username'],
      [
        'an information request question',
        'commerce.reviewer',
        'POST',
        async () => `/api/v1/proposals/${await aProposal()}/information-requests`,
        { question: ' ' },
        'question',
      ],
      [
        'an information request answer',
        'applicant.acme',
        'POST',
        async () => `/api/v1/proposals/${await aProposal()}/information-requests/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/answer`,
        { answer: '\t' },
        'answer',
      ],
      [
        'a task decision',
        'commerce.reviewer',
        'POST',
        async () => `/api/v1/tasks/${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}/complete`,
        { decision: ' ' },
        'decision',
      ],
    ];

    let proposalId: string | undefined;
    const aProposal = async () => (proposalId ??= (await submit(completeProposal())).body.id as string);

    it.each(otherEndpoints)('a blank %s', async (_case, user, method, path, body, field) => {
      const url = await path();
      const res = user === 'anonymous' ? await stack.request(method, url, body) : await stack.as(user, method, url, body);

      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field, message: `${field} must not be blank` }]);
    });
  });

  describe('milestone evidence as a statement or as {text, link?, documentIds?} (section 7)', () => {
    const plan = async (name: string) => {
      const res = await stack.as('program.manager', 'POST', '/api/v1/programs', {
        name,
        startDate: '2025-07-23',
        milestones: [
          { key: 'notice', title: 'Publish the call', ownerAgency: 'COMMERCE', dueDay: 30 },
          { key: 'linked', title: 'Stand up the EDAG', ownerAgency: 'STATE', dueDay: 60 },
        ],
      });
      expect(res.status).toBe(201);
      return res.body as { id: string; milestones: { id: string }[] };
    };
    const complete = (programId: string, milestoneId: string, evidence: unknown) =>
      stack.as('program.manager', 'POST', `/api/v1/programs/${programId}/milestones/${milestoneId}/completion`, { evidence });

    it('accepts a string and an object, and shows both in one stored shape', async () => {
      const { id, milestones } = await plan('Evidence shapes');
      const proposalId = (await submit(completeProposal())).body.id as string;
      const uploaded = await uploadDocument(stack, 'applicant.acme', proposalId, minimalPdf(), 'charter.pdf', 'application/pdf');
      expect(uploaded.status).toBe(201);
      const documentId = uploaded.body.id as string;
      // A cited id must be an uploaded document (422 naming it), not merely a UUID.
      const unknown = await complete(id, milestones[1].id, {
        text: 'Charter signed',
        documentIds: ['5f0c6a52-3f0e-4a4e-9a51-1d2b3c4d5e6f'],
      });
      expect([unknown.status, unknown.body.details]).toEqual([422, [expect.objectContaining({ field: 'evidence.documentIds[0]' })]]);

      expect((await complete(id, milestones[0].id, 'Federal Register notice published')).status).toBe(200);
      expect(
        (await complete(id, milestones[1].id, { text: 'Charter signed', link: 'https://www.trade.gov/edag', documentIds: [documentId] }))
          .status,
      ).toBe(200);

      const shown = (await stack.as('program.manager', 'GET', `/api/v1/programs/${id}`)).body;
      expect(shown.milestones.map((m: { status: string; evidence: unknown }) => [m.status, m.evidence])).toEqual([
        ['DONE', { text: 'Federal Register notice published', link: null, documentIds: [] }],
        ['DONE', { text: 'Charter signed', link: 'https://www.trade.gov/edag', documentIds: [documentId] }],
      ]);
    });

    it('refuses malformed evidence with 400 naming the field', async () => {
      const { id, milestones } = await plan('Malformed evidence');
      const refusals: [unknown, string][] = [
        [' ', 'evidence.text'],
        [42, 'evidence'],
        [[], 'evidence'],
        [{ text: 'Charter', documentIds: ['not-a-uuid'] }, 'evidence.documentIds'],
        [{ text: 'Charter', signedBy: 'x' }, 'evidence.signedBy'],
      ];

      for (const [evidence, field] of refusals) {
        const res = await complete(id, milestones[0].id, evidence);
        expect([evidence, res.status]).toEqual([evidence, 400]);
        expect(new Set(res.body.details.map((d: { field: string }) => d.field))).toEqual(new Set([field]));
      }
    });
  });
});
