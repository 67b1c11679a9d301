import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldProblems } from '../../../apps/api/src/common/validation';
import { SubmitProposalDto } from '../../../apps/api/src/proposals/submit-proposal.dto';
import { completeProposal } from '../../support/fixtures';

const problemsOf = (body: unknown) =>
  fieldProblems(validateSync(plainToInstance(SubmitProposalDto, body) as object, { whitelist: true, forbidNonWhitelisted: true }));

describe('submission validation', () => {
  it('accepts a complete package', () => {
    expect(problemsOf(completeProposal())).toEqual([]);
  });

  it('names nested fields by path, with array indices', () => {
    const body = completeProposal();
    (body.consortium as { members: { country: string }[] }).members[2].country = 'XX';
    (body.federalSupport as { instrumentId: string }[])[0].instrumentId = 'free_money';
    expect(problemsOf(body).map((p) => p.field)).toEqual(['consortium.members[2].country', 'federalSupport[0].instrumentId']);
  });

  it('rejects unknown fields by name', () => {
    expect(problemsOf({ ...completeProposal(), extra: 1 })).toEqual([{ field: 'extra', message: 'extra should not exist' }]);
  });
});
