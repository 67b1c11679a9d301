/** A complete, clean full-stack AI export package (every EO 3(b) element present). */
export function completeProposal(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Sovereign AI cloud for Kenya',
    summary: 'Full-stack deployment of U.S. AI infrastructure and applications.',
    consortium: {
      name: 'Acme AI Export Consortium',
      anchorMember: 'Acme Compute Inc.',
      members: [
        { name: 'Acme Compute Inc.', country: 'US', layers: ['HARDWARE'], usConcern: true, naics: '334111', employees: 800 },
        {
          name: 'Blue River Data LLC',
          country: 'US',
          layers: ['DATA_PIPELINES', 'MODELS'],
          usConcern: true,
          naics: '541512',
          averageAnnualReceiptsUsd: 12_000_000,
        },
        { name: 'Safeguard Cyber Corp.', country: 'US', layers: ['SECURITY', 'APPLICATIONS'], usConcern: true },
      ],
    },
    stack: {
      hardware: {
        description: 'GPU servers, storage and networking',
        usContentPct: 72,
        usManufacturingStatement: 'Servers assembled in Texas',
        eccns: ['4A090'],
      },
      dataPipelines: { description: 'Labeling and ingestion pipelines' },
      models: { description: 'Open and proprietary U.S. foundation models' },
      security: { description: 'Model weight protection, SOC 2 controls' },
      applications: [{ sector: 'HEALTHCARE', description: 'Clinical decision support' }],
    },
    targetMarkets: ['KE'],
    businessModel: { builder: 'Acme Compute Inc.', owner: 'Kenya Digital Infrastructure Ltd.', operator: 'Blue River Data LLC' },
    federalSupport: [{ instrumentId: 'exim_loan_guarantee', amountUsd: 50_000_000 }],
    compliance: { exportControlAttestation: true, outboundInvestmentAttestation: true },
    ...overrides,
  };
}
