import type { AgencyAdapter, AgencyWorkItem } from './agency-adapter';
import { signatureHeader, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature';

/**
 * Sends a task to an agency's own case system as a signed POST. A non-2xx answer throws, so the
 * calling activity is retried with backoff by Temporal.
 */
export class WebhookAdapter implements AgencyAdapter {
  readonly kind = 'webhook' as const;

  constructor(
    private readonly url: string,
    /** The current secret, then the previous one during a rotation overlap: the delivery is signed under each. */
    private readonly secrets: readonly string[],
    private readonly timeoutMs = 10_000,
  ) {}

  async deliver(item: AgencyWorkItem): Promise<void> {
    const body = JSON.stringify({ event: 'task.opened', task: item });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signatureHeader(this.secrets, timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
      },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`Agency webhook ${this.url} answered ${response.status}`);
  }
}
