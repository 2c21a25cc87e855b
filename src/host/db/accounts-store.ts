import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { authorSchema } from '../../shared/wire';
import type { HostDb } from './open';
import { accounts } from './schema/index';

export const accountUserSchema = authorSchema.extend({ email: z.string() });
export type AccountUser = z.infer<typeof accountUserSchema>;
export type Account = { user: AccountUser; token: string };

/** The signed-in account of each server (one at a time per server). */
export class AccountsStore {
  constructor(private readonly db: HostDb) {}

  get(serverKey: string): Account | null {
    const row = this.db.select().from(accounts).where(eq(accounts.serverKey, serverKey)).get();
    return row ? { user: accountUserSchema.parse(JSON.parse(row.user)), token: row.token } : null;
  }

  save(serverKey: string, account: Account): void {
    const user = JSON.stringify(accountUserSchema.parse(account.user));
    const updatedAt = new Date().toISOString();
    this.db
      .insert(accounts)
      .values({ serverKey, user, token: account.token, updatedAt })
      .onConflictDoUpdate({ target: accounts.serverKey, set: { user, token: account.token, updatedAt } })
      .run();
  }

  remove(serverKey: string): void {
    this.db.delete(accounts).where(eq(accounts.serverKey, serverKey)).run();
  }
}
