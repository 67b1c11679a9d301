import { createHash } from 'node:crypto';
import { canonicalJson } from '../../libs/audit';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** docs/spec.md section 2.4b: every version kept unchanged; each decision's evidence snapshot and its recomputable digest. */
describe('records: proposal versions and evidence snapshots', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const proposal = async (id: string) => (await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${id}`)).body;
  /** Version `version` screened into `status`: until then the row's status may still be the previous version's. */
  const screenedAs = (id: string, version: number, status: string) =>
    stack.eventually(`proposal ${id} version ${version} to reach ${status}`, async () => {
      const p = await proposal(id);
      const events: { action: string; detail: { version?: number } }[] = p.timeline;
      const screened = events.findIndex((e) => e.action === 'SCREENED' && e.detail.version === version);
      const moved = screened >= 0 && events.slice(screened).some((e) => e.action === `STATUS_${status}`);
      return moved && p.status === status && p;
    });
  const versionsAs = (username: string, id: string) => stack.as(username, 'GET', `/api/v1/proposals/${id}/versions`);

  // Filed without a business model or the compliance attestation; each amendment supplies one.
  const { businessModel, compliance, ...filed } = completeProposal({ title: 'Records test package' });
  const firstAmendment = { businessModel, summary: 'Business model added' };
  const secondAmendment = { compliance };

  let id: string;

  it('keeps the submission and both amendments as sent, oldest first, version 1 unchanged by the amendments', async () => {
    const created = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', filed);
    expect(created.status).toBe(201);
    id = created.body.id;
    const returned = await screenedAs(id, 1, 'RETURNED_FOR_INFORMATION');
    expect(returned.deficiencies.map((d: { code: string }) => d.code).sort()).toEqual([
      'MISSING_BUSINESS_MODEL',
      'MISSING_COMPLIANCE_ATTESTATION',
    ]);
    const before = await versionsAs('applicant.acme', id);
    expect(before.status).toBe(200);
    expect(before.body.items).toEqual([{ version: 1, submittedAt: expect.any(String), submittedBy: 'applicant.acme', body: filed }]);

    expect((await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/amendments`, firstAmendment)).status).toBe(202);
    await screenedAs(id, 2, 'RETURNED_FOR_INFORMATION');
    expect((await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/amendments`, secondAmendment)).status).toBe(202);
    const current = await screenedAs(id, 3, 'UNDER_REVIEW');
    // The proposal itself is the sections merged; its versions are each request as the applicant sent it.
    expect(current.submission).toEqual({ ...filed, ...firstAmendment, ...secondAmendment });

    for (const reader of ['applicant.acme', 'auditor', 'commerce.reviewer']) {
      const { status, body } = await versionsAs(reader, id);
      expect(status).toBe(200);
      expect(body.items).toEqual([
        { version: 1, submittedAt: expect.any(String), submittedBy: 'applicant.acme', body: filed },
        { version: 2, submittedAt: expect.any(String), submittedBy: 'applicant.acme', body: firstAmendment },
        { version: 3, submittedAt: expect.any(String), submittedBy: 'applicant.acme', body: secondAmendment },
      ]);
      expect(body.items[0]).toEqual(before.body.items[0]);
      const times = body.items.map((v: { submittedAt: string }) => Date.parse(v.submittedAt));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });

  it('hides the versions from another applicant (404, audited) and from users who read no proposals (403)', async () => {
    const other = await versionsAs('applicant.globex', id);
    expect(other.status).toBe(404);
    expect(
      await stack.sql(`SELECT reason FROM audit_event WHERE action = 'ACCESS_DENIED' AND subject_id = $1 AND actor = 'applicant.globex'`, [
        id,
      ]),
    ).toEqual([{ reason: "Another organisation's proposal" }]);
    expect((await versionsAs('admin', id)).status).toBe(403);
    expect((await versionsAs('auditor', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('recomputes a decision digest from the stored task row and the version row it names: the version the reviewer saw', async () => {
    const tasks = await stack.eventually('the review tasks', async () => {
      const items = (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=50`)).body.items;
      return items.length === 5 && items;
    });
    const commerce = tasks.find((t: { agency: string; type: string }) => t.agency === 'COMMERCE' && t.type === 'AGENCY_REVIEW');
    const state = tasks.find((t: { agency: string; type: string }) => t.agency === 'STATE' && t.type === 'AGENCY_REVIEW');
    expect((await stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${commerce.id}/complete`, { decision: 'CONCUR' })).status).toBe(200);
    const conditions = ['Annual end-use report to State'];
    const completed = await stack.as('state.reviewer', 'POST', `/api/v1/tasks/${state.id}/complete`, {
      decision: 'CONCUR_WITH_CONDITIONS',
      conditions,
    });
    expect(completed.status).toBe(200);

    const [row] = await stack.sql(`SELECT evidence, evidence_digest AS digest FROM task WHERE id = $1 AND status = 'COMPLETED'`, [
      state.id,
    ]);
    expect(row.digest).toBe(sha256(canonicalJson(row.evidence)));
    // The snapshot names the version the reviewer decided on: the second amendment, version 3.
    expect(row.evidence.proposalVersion.number).toBe(3);
    const [version] = await stack.sql(`SELECT body FROM proposal_version WHERE proposal_id = $1 AND version = $2`, [
      id,
      row.evidence.proposalVersion.number,
    ]);
    expect(version.body).toEqual(secondAmendment);
    expect(row.evidence.proposalVersion.bodySha256).toBe(sha256(canonicalJson(version.body)));
    // What else the reviewer saw: the screening result with its list version, the flags, COMMERCE's position.
    expect(row.evidence.screening).toEqual(
      expect.objectContaining({ status: 'CLEAR', listVersion: expect.objectContaining({ checksum: expect.any(String) }) }),
    );
    expect(row.evidence.flags).toEqual(expect.any(Array));
    expect(row.evidence.otherPositions).toEqual([expect.objectContaining({ taskId: commerce.id, agency: 'COMMERCE', decision: 'CONCUR' })]);
    // Any change to the stored evidence no longer matches its digest.
    expect(sha256(canonicalJson({ ...row.evidence, otherPositions: [] }))).not.toBe(row.digest);

    // The same record through the API: the staff view's review and the versions endpoint, and the digest in the audit trail.
    const review = (await proposal(id)).reviews.find((r: { taskId: string }) => r.taskId === state.id);
    expect(review).toEqual(expect.objectContaining({ evidenceDigest: row.digest, evidence: row.evidence, conditions }));
    const versions = (await versionsAs('auditor', id)).body.items;
    expect(sha256(canonicalJson(versions[2].body))).toBe(review.evidence.proposalVersion.bodySha256);
    const [completion] = await stack.sql(
      `SELECT after->>'evidenceDigest' AS digest FROM audit_event WHERE action = 'TASK_COMPLETED' AND subject_id = $1`,
      [state.id],
    );
    expect(completion.digest).toBe(row.digest);
  });
});
