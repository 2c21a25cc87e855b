import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { authorSchema } from '../../shared/wire';
import type { HostDb } from './open';
import { accounts } from './schema/index';
import { plainSecretBox, type SecretBox } from './secret-box';

export const accountUserSchema = authorSchema.extend({ email: z.string() });
export type AccountUser = z.infer<typeof accountUserSchema>;
/** `refresh` renews `token` when it expires (server-link/session-renewal.ts); absent on older servers. */
export type Account = { user: AccountUser; token: string; refresh?: string | undefined };

/** The signed-in account of each server (one at a time per server); its tokens go through the SecretBox. */
export class AccountsStore {
  constructor(
    private readonly db: HostDb,
    private readonly box: SecretBox = plainSecretBox,
  ) {}

  get(serverKey: string): Account | null {
    const row = this.db.select().from(accounts).where(eq(accounts.serverKey, serverKey)).get();
    if (!row) return null;
    const account = {
      user: accountUserSchema.parse(JSON.parse(row.user)),
      token: this.box.open(row.token),
      refresh: row.refreshToken ? this.box.open(row.refreshToken) : undefined,
    };
    if (!this.box.isSealed(row.token) || (row.refreshToken && !this.box.isSealed(row.refreshToken)))
      this.sealLegacy(serverKey, account);
    return account;
  }

  /**
   * A token saved in plaintext (before the keychain sealed them) is sealed on first read. secure_delete (open.ts)
   * zeroes the old row's bytes in its page; the checkpoint moves the new page into the file and empties the WAL,
   * which still held the plaintext frame.
   */
  private sealLegacy(serverKey: string, account: Account): void {
    this.save(serverKey, account);
    this.db.all(sql`pragma wal_checkpoint(TRUNCATE)`);
  }

  save(serverKey: string, account: Account): void {
    const user = JSON.stringify(accountUserSchema.parse(account.user));
    const updatedAt = new Date().toISOString();
    const token = this.box.seal(account.token);
    const refreshToken = account.refresh ? this.box.seal(account.refresh) : null;
    this.db
      .insert(accounts)
      .values({ serverKey, user, token, refreshToken, updatedAt })
      .onConflictDoUpdate({ target: accounts.serverKey, set: { user, token, refreshToken, updatedAt } })
      .run();
  }

  remove(serverKey: string): void {
    this.db.delete(accounts).where(eq(accounts.serverKey, serverKey)).run();
  }
}
