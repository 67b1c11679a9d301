import demo from '../data/demo-proposals.json';

/**
 * Files the demo proposals through the public API, as their applicants would. Idempotency keys
 * make it safe on every start: a proposal already filed is not filed again.
 */
export async function seedDemoProposals(apiUrl: string, password: string): Promise<{ key: string; id: string; outcome: string }[]> {
  const tokens = new Map<string, string>();
  const tokenOf = async (username: string) => {
    if (!tokens.has(username)) {
      const res = await fetch(`${apiUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (!res.ok) throw new Error(`demo login ${username}: ${res.status}`);
      tokens.set(username, ((await res.json()) as { accessToken: string }).accessToken);
    }
    return tokens.get(username) as string;
  };
  const filed: { key: string; id: string; outcome: string }[] = [];
  for (const proposal of demo.proposals) {
    const res = await fetch(`${apiUrl}/api/v1/proposals`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await tokenOf(proposal.applicant)}`,
        'idempotency-key': proposal.key,
      },
      body: JSON.stringify(proposal.body),
    });
    if (res.status !== 201) throw new Error(`demo proposal ${proposal.key}: ${res.status} ${await res.text()}`);
    filed.push({ key: proposal.key, id: ((await res.json()) as { id: string }).id, outcome: proposal.outcome });
  }
  return filed;
}
