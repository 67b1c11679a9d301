import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig, APP_CONFIG } from '../../../libs/config';
import { NotificationRepository, PendingNotification } from '../../../libs/db';

/**
 * Drains the notification outbox: by SMTP when SMTP_URL is set, otherwise into the log. Each
 * notification is sent once (outbox rows are claimed with SKIP LOCKED and marked sent).
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
      this.running ??= this.outbox
        .dispatch(50, (n) => this.send(n))
        .catch((error: unknown) => this.logger.error(`Outbox dispatch failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.notifications.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
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
