import type { CompletionProblem } from '../tasks/task-types';

/** EO 14320 sec. 4(b): the agencies whose financing tools EDAG routes (EXIM, DFC, USTDA). */
export const FINANCING_AGENCIES = ['EXIM', 'DFC', 'USTDA'] as const;

export const isAmountUsd = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** One instrument the EDAG coordinator routes to an agency (docs/spec.md section 2.4). */
export interface FinancingAssignment {
  instrumentId: string;
  agency: string;
  amountUsd: number;
}

/** docs/spec.md section 2.4: `data.assignments: [{instrumentId, agency, amountUsd}]`, possibly empty, each to a financing agency. */
export function assignmentProblems(
  data: Record<string, unknown> | undefined,
  instrumentIds: readonly string[] | undefined,
): CompletionProblem[] {
  const assignments = data?.assignments;
  if (!Array.isArray(assignments))
    return [
      {
        field: 'data.assignments',
        message: 'data.assignments must be a list of {instrumentId, agency, amountUsd} (empty to assign nothing)',
      },
    ];
  const financingAgencies: readonly string[] = FINANCING_AGENCIES;
  return assignments.flatMap((item: unknown, i): CompletionProblem[] => {
    const a = (item ?? {}) as Partial<FinancingAssignment>;
    const field = `data.assignments[${i}]`;
    return [
      ...(typeof a.instrumentId === 'string' && (!instrumentIds || instrumentIds.includes(a.instrumentId))
        ? []
        : [{ field: `${field}.instrumentId`, message: `${field}.instrumentId must be an instrument of the catalogue` }]),
      ...(typeof a.agency === 'string' && financingAgencies.includes(a.agency)
        ? []
        : [{ field: `${field}.agency`, message: `${field}.agency must be one of ${financingAgencies.join(', ')}` }]),
      ...(isAmountUsd(a.amountUsd) ? [] : [{ field: `${field}.amountUsd`, message: `${field}.amountUsd must be a non-negative amount` }]),
    ];
  });
}
