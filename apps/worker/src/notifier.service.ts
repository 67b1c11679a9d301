import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig, APP_CONFIG } from '../../../libs/config';
import { NotificationRepository, PendingNotification } from '../../../libs/db';

/** Attempts per notification before it is dead-lettered (`dead_at` set, `last_error` kept; never sent again). */
export const OUTBOX_MAX_ATTEMPTS = 8;
/** Backoff after the n-th failed attempt: 30 s doubling each time, at most an hour (about 2 h 40 min until dead). */
export const outboxRetryDelayMs = (attempts: number): number => Math.min(30_000 * 2 ** (attempts - 1), 3_600_000);
/** How long a claimed batch is this notifier's: a notifier that dies mid-batch leaves its rows to be claimed again then. */
const LEASE_MS = 10 * 60_000;
const BATCH = 20;

/**
 * Drains the notification outbox: by SMTP when SMTP_URL is set, otherwise into the log. Rows are
 * claimed with a lease (committed) before sending, and marked sent after, so no transaction stays
 * open while mail is sent; a failing row backs off on its own and does not hold up the others.
 */
@Injectable()
export class NotifierService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Notifier');
  private readonly mail?: Transporter;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: NotificationRepository,
  ) {
    if (config.notifications.smtpUrl) this.mail = createTransport(config.notifications.smtpUrl);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.dispatch()
        .catch((error: unknown) => this.logger.error(`Outbox dispatch failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.notifications.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round: claims the due rows, sends each, records the outcome. Returns how many were claimed. */
  async dispatch(): Promise<number> {
    const batch = await this.outbox.claim(BATCH, LEASE_MS);
    for (const n of batch) {
      try {
        await this.send(n);
        await this.outbox.markSent(
          n.id,
          n.recipients.map((r) => r.username),
        );
      } catch (error) {
        const dead = n.attempts >= OUTBOX_MAX_ATTEMPTS;
        await this.outbox.markFailed(n.id, String(error), dead ? { dead } : { dead, retryInMs: outboxRetryDelayMs(n.attempts) });
        if (dead) this.logger.error(`Notification ${n.id} (${n.eventKey}) dead-lettered after ${n.attempts} attempts: ${String(error)}`);
        else this.logger.warn(`Notification ${n.id} attempt ${n.attempts} failed: ${String(error)}`);
      }
    }
    return batch.length;
  }

  private async send(n: PendingNotification): Promise<void> {
    const to = n.recipients.map((r) => r.email).filter((email): email is string => !!email);
    if (this.mail && to.length) {
      await this.mail.sendMail({ from: this.config.notifications.from, to, subject: n.subject, text: n.body });
      return;
    }
    this.logger.log(
      `[${n.kind}] to ${n.recipients.map((r) => r.username).join(', ') || `${n.recipientRole}@${n.recipientAgency}`}: ${n.subject}`,
    );
  }
}
