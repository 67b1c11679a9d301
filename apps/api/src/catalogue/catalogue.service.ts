import { Injectable } from '@nestjs/common';
import { CatalogueRepository, CatalogueRow } from '../../../../libs/db';
import type { ProposalSubmission } from '../../../../libs/domain/intake/submission';
import { STACK_LAYERS } from '../../../../libs/domain/intake/submission';
import type { CatalogueQuery } from './catalogue.query';

/**
 * A catalogue entry: what the consortium agreed to publish about its package (docs/spec.md sections
 * 2.3a and 7), built field by field, so that no position, comment, flag, screening result or staff
 * name can reach partner governments.
 */
export function catalogueEntry(row: CatalogueRow) {
  const submission = row.submission as unknown as ProposalSubmission;
  const members = submission.consortium?.members ?? [];
  const provided = new Set(members.flatMap((m) => m.layers ?? []));
  return {
    proposalId: row.id,
    title: row.title,
    summary: submission.summary ?? null,
    layers: STACK_LAYERS.filter((layer) => provided.has(layer)),
    sectors: [...new Set((submission.stack?.applications ?? []).map((a) => a.sector))],
    targetMarkets: submission.targetMarkets ?? [],
    members: members.map((m) => ({ name: m.name, country: m.country })),
    designatedAt: row.designatedAt,
  };
}

/** The catalogue of priority AI export packages the U.S. Government presents to partners (the call for proposals, DOMAIN.md section 2). */
@Injectable()
export class CatalogueService {
  constructor(private readonly catalogue: CatalogueRepository) {}

  async list(query: CatalogueQuery) {
    const { items, total } = await this.catalogue.list(query);
    return { items: items.map(catalogueEntry), total, page: query.page, pageSize: query.pageSize };
  }
}
