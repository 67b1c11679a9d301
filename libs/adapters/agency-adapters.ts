import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config';
import type { Agency } from '../domain/identity/roles';
import { AgencyAdapter, InboxAdapter } from './agency-adapter';
import { WebhookAdapter } from './webhook.adapter';

/** Picks each agency's adapter from configuration (AGENCY_WEBHOOKS); the built-in inbox by default. */
@Injectable()
export class AgencyAdapters {
  private readonly inbox = new InboxAdapter();
  private readonly webhooks = new Map<Agency, WebhookAdapter>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    for (const [agency, hook] of Object.entries(config.agencyWebhooks))
      this.webhooks.set(agency as Agency, new WebhookAdapter(hook.url, hook.secrets));
  }

  for(agency: Agency): AgencyAdapter {
    return this.webhooks.get(agency) ?? this.inbox;
  }
}
