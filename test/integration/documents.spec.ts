import { createHash, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { completeProposal } from '../support/fixtures';
import { minimalPdf, uploadDocument } from '../support/documents';
import { Stack } from '../support/stack';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A ZIP archive of stored (uncompressed) entries: local headers, central directory, end record. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text, 'utf8');
    const fileName = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A minimal Word document: what file-type reads to tell a .docx from any other ZIP is [Content_Types].xml's main part. */
function minimalDocx(): Buffer {
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      `<Override PartName="/word/document.xml" ContentType="${DOCX}.main+xml"/></Types>`,
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml':
      '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      '<w:body><w:p><w:r><w:t>Advocacy questionnaire</w:t></w:r></w:p></w:body></w:document>',
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('documents attached to proposals (docs/spec.md section 7)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const upload = (username: string, proposalId: string, content: Buffer, name: string, type: string) =>
    uploadDocument(stack, username, proposalId, content, name, type);

  async function download(username: string, documentId: string) {
    const response = await fetch(`${stack.baseUrl}/api/v1/documents/${documentId}`, {
      headers: { authorization: `Bearer ${await stack.token(username)}` },
    });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  async function submitted(title = 'Sovereign AI cloud for Kenya'): Promise<string> {
    const created = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title }));
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function underReview(id: string) {
    await stack.eventually(
      'UNDER_REVIEW',
      async () => (await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${id}`)).body.status === 'UNDER_REVIEW',
    );
    return stack.eventually('the review tasks', async () => {
      const tasks = (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=50`)).body.items;
      return tasks.length === 5 && tasks;
    });
  }

  const deniedEvents = (subjectId: string, actor: string) =>
    stack.sql(`SELECT reason FROM audit_event WHERE action = 'ACCESS_DENIED' AND subject_id = $1 AND actor = $2`, [subjectId, actor]);

  it('takes a PDF and a Word document, detected by content, and gives each back byte for byte as an attachment', async () => {
    const id = await submitted();
    const pdf = minimalPdf();
    const docx = minimalDocx();

    const storedPdf = await upload('applicant.acme', id, pdf, 'Business plan.pdf', 'application/octet-stream');
    expect(storedPdf.status).toBe(201);
    expect(storedPdf.body).toEqual({
      id: expect.any(String),
      name: 'Business plan.pdf',
      mediaType: PDF,
      size: pdf.length,
      sha256: sha256(pdf),
    });
    // A path and markup in the name are dropped; letters of any script are kept.
    const storedDocx = await upload('applicant.acme', id, docx, '../Übersicht <plan>.docx', DOCX);
    expect(storedDocx.status).toBe(201);
    expect(storedDocx.body).toEqual(
      expect.objectContaining({ name: 'Übersicht _plan_.docx', mediaType: DOCX, size: docx.length, sha256: sha256(docx) }),
    );

    for (const [stored, bytes, type] of [
      [storedPdf.body, pdf, PDF],
      [storedDocx.body, docx, DOCX],
    ] as const) {
      for (const reader of ['applicant.acme', 'commerce.reviewer', 'auditor']) {
        const got = await download(reader, stored.id);
        expect(got.status).toBe(200);
        expect(got.bytes.equals(bytes)).toBe(true);
        expect(got.headers.get('content-type')).toBe(type);
        expect(got.headers.get('content-disposition')).toBe(
          `attachment; filename="${stored.name.replace('Ü', '_')}"; filename*=UTF-8''${encodeURIComponent(stored.name)}`,
        );
        expect(got.headers.get('x-content-type-options')).toBe('nosniff');
        expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      }
    }

    // The SHA-256, size and detected type are in the hash-chained audit trail.
    const trail = await stack.as('auditor', 'GET', `/api/v1/audit?subject=${id}&pageSize=100`);
    const uploaded = trail.body.items.filter((e: { action: string }) => e.action === 'DOCUMENT_UPLOADED');
    expect(uploaded.map((e: { after: unknown }) => e.after)).toEqual(
      expect.arrayContaining([
        { documentId: storedPdf.body.id, name: 'Business plan.pdf', mediaType: PDF, size: pdf.length, sha256: sha256(pdf) },
        { documentId: storedDocx.body.id, name: 'Übersicht _plan_.docx', mediaType: DOCX, size: docx.length, sha256: sha256(docx) },
      ]),
    );
    expect((await stack.as('auditor', 'GET', '/api/v1/audit/verify')).body.valid).toBe(true);

    const listed = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body.documents;
    expect(listed).toEqual([
      { ...storedPdf.body, uploadedAt: expect.any(String) },
      { ...storedDocx.body, uploadedAt: expect.any(String) },
    ]);
  });

  it('takes an OpenDocument text and a legacy .doc (an OLE2 compound file, told apart by its name); refuses other compound files', async () => {
    const id = await submitted();
    const odt = zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<office:document-content/>' });
    const storedOdt = await upload('applicant.acme', id, odt, 'letter.odt', 'application/octet-stream');
    expect(storedOdt.status).toBe(201);
    expect(storedOdt.body.mediaType).toBe('application/vnd.oasis.opendocument.text');

    const compound = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const doc = await upload('applicant.acme', id, compound, 'minutes.doc', 'application/octet-stream');
    expect(doc.status).toBe(201);
    expect(doc.body.mediaType).toBe('application/msword');
    expect((await download('applicant.acme', doc.body.id)).headers.get('content-type')).toBe('application/msword');
    const other = await upload('applicant.acme', id, compound, 'installer.msi', 'application/octet-stream');
    expect(other.status).toBe(415);
    expect(other.body.details).toEqual([{ field: 'file', message: expect.stringMatching(/\.doc, \.xls or \.ppt/) }]);
  });

  it('refuses HTML named .pdf, an unknown ZIP, an oversized file and a missing file, storing none of them', async () => {
    const id = await submitted();
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');
    const disguised = await upload('applicant.acme', id, html, 'x.pdf', PDF);
    expect(disguised.status).toBe(400);
    expect(disguised.body.details).toEqual([{ field: 'file', message: expect.stringMatching(/PDF or an Office or OpenDocument/) }]);

    const plainZip = await upload('applicant.acme', id, zip({ 'notes.txt': 'hello' }), 'notes.docx', DOCX);
    expect(plainZip.status).toBe(400);
    expect(plainZip.body.details[0].field).toBe('file');

    const oversized = Buffer.concat([minimalPdf(), Buffer.alloc(20 * 1024 * 1024)]);
    const tooLarge = await upload('applicant.acme', id, oversized, 'huge.pdf', PDF);
    expect(tooLarge.status).toBe(413);

    const none = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/documents`, {});
    expect(none.status).toBe(400);
    expect(none.body.details).toEqual([{ field: 'file', message: 'file is required' }]);

    expect(await stack.sql('SELECT count(*)::int AS n FROM document WHERE proposal_id = $1', [id])).toEqual([{ n: 0 }]);
  });

  it("keeps an applicant out of another's documents and staff-uploaded ones, and staff out unless they act on the proposal", async () => {
    const id = await submitted();
    const mine = await upload('applicant.acme', id, minimalPdf(), 'plan.pdf', PDF);
    expect(mine.status).toBe(201);

    // Another applicant: the document and the proposal do not exist for it (404, audited).
    expect((await download('applicant.globex', mine.body.id)).status).toBe(404);
    expect((await upload('applicant.globex', id, minimalPdf(), 'intrusion.pdf', PDF)).status).toBe(404);
    expect(await deniedEvents(id, 'applicant.globex')).toHaveLength(2);

    // Not a reader of proposals at all.
    expect((await download('admin', mine.body.id)).status).toBe(403);

    // EXIM has no task on a proposal under review: it reads, but does not attach.
    const tasks = await underReview(id);
    expect((await download('exim.officer', mine.body.id)).status).toBe(200);
    const exim = await upload('exim.officer', id, minimalPdf(), 'exim.pdf', PDF);
    expect(exim.status).toBe(403);
    expect(await deniedEvents(id, 'exim.officer')).toEqual([{ reason: 'Uploads only to proposals the caller acts on' }]);

    // STATE reviews it: its reviewer attaches a document, which the applicant neither sees nor reads.
    expect(tasks.some((t: { agency: string }) => t.agency === 'STATE')).toBe(true);
    const staff = await upload('state.reviewer', id, minimalDocx(), 'State cable.docx', DOCX);
    expect(staff.status).toBe(201);
    const applicantView = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
    expect(applicantView.documents.map((d: { id: string }) => d.id)).toEqual([mine.body.id]);
    expect(JSON.stringify(applicantView)).not.toContain('state.reviewer');
    expect((await download('applicant.acme', staff.body.id)).status).toBe(404);
    const staffView = (await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${id}`)).body;
    expect(staffView.documents).toEqual([
      expect.objectContaining({ id: mine.body.id, uploadedBy: 'applicant.acme', uploaderAgency: null }),
      expect.objectContaining({ id: staff.body.id, uploadedBy: 'state.reviewer', uploaderAgency: 'STATE' }),
    ]);

    expect((await download('auditor', randomUUID())).status).toBe(404);
    expect((await download('auditor', 'not-a-uuid')).status).toBe(404);
  });

  it("cites documents in an answer to an information request: the proposal's own only (422 otherwise)", async () => {
    const id = await submitted();
    const other = await submitted('Another package');
    const tasks = await underReview(id);
    const mine = (await upload('applicant.acme', id, minimalPdf(), 'site-operator.pdf', PDF)).body;
    const elsewhere = (await upload('applicant.acme', other, minimalPdf(), 'other.pdf', PDF)).body;
    const staffDoc = (await upload('state.reviewer', id, minimalDocx(), 'internal.docx', DOCX)).body;

    const stateReview = tasks.find((t: { agency: string; type: string }) => t.agency === 'STATE' && t.type === 'AGENCY_REVIEW');
    expect((await stack.as('state.reviewer', 'POST', `/api/v1/tasks/${stateReview.id}/claim`)).status).toBe(200);
    const asked = await stack.as('state.reviewer', 'POST', `/api/v1/proposals/${id}/information-requests`, {
      question: 'Who operates the Nairobi site?',
    });
    expect(asked.status).toBe(201);
    const answerPath = `/api/v1/proposals/${id}/information-requests/${asked.body.id}/answer`;

    const wrongProposal = await stack.as('applicant.acme', 'POST', answerPath, {
      answer: 'See attached',
      documentIds: [mine.id, elsewhere.id],
    });
    expect(wrongProposal.status).toBe(422);
    expect(wrongProposal.body.details).toEqual([
      { field: 'documentIds[1]', message: `${elsewhere.id} is not a document of this proposal` },
    ]);
    const notTheirs = await stack.as('applicant.acme', 'POST', answerPath, { answer: 'See attached', documentIds: [staffDoc.id] });
    expect(notTheirs.status).toBe(422);
    expect(notTheirs.body.details).toEqual([expect.objectContaining({ field: 'documentIds[0]' })]);
    const malformed = await stack.as('applicant.acme', 'POST', answerPath, { answer: 'See attached', documentIds: ['nope'] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details).toEqual([expect.objectContaining({ field: 'documentIds' })]);

    const answered = await stack.as('applicant.acme', 'POST', answerPath, {
      answer: 'Blue River Data LLC, see attached',
      documentIds: [mine.id],
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual(expect.objectContaining({ answer: 'Blue River Data LLC, see attached', documentIds: [mine.id] }));
    for (const reader of ['applicant.acme', 'state.reviewer']) {
      const requests = (await stack.as(reader, 'GET', `/api/v1/proposals/${id}`)).body.informationRequests;
      expect(requests).toEqual([expect.objectContaining({ id: asked.body.id, documentIds: [mine.id] })]);
    }
  });
});
