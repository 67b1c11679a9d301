import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import demoUsers from '../../../../data/demo-users.json';
import { hashPassword } from '../../../../libs/auth';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';
import { NewUser, UserRepository } from '../../../../libs/db';
import type { Agency, Role } from '../../../../libs/domain/identity/roles';

/** Seeds the demo users of docs/spec.md section 7 outside production; production never gets them. */
@Injectable()
export class DemoUsersSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoUsersSeeder.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UserRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.env === 'production') return;
    const existing = new Set((await this.users.list()).map((u) => u.username));
    const missing = demoUsers.users.filter((u) => !existing.has(u.username));
    if (!missing.length) return;
    const rows: NewUser[] = await Promise.all(
      missing.map(async (u) => ({
        username: u.username,
        displayName: u.displayName,
        organisation: u.organisation,
        agency: u.agency as Agency | null,
        roles: u.roles as Role[],
        passwordHash: await hashPassword(this.config.demoPassword),
      })),
    );
    const inserted = await this.users.insertMissing(rows);
    this.logger.log(`Seeded ${inserted} demo users (password from DEMO_PASSWORD)`);
  }
}
