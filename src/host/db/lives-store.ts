import { and, desc, eq } from 'drizzle-orm';
import { type Live, liveSchema } from '../../shared/wire';
import type { HostDb } from './open';
import { lives } from './schema/index';

export type LiveRole = 'host' | 'moderator' | 'viewer';
export type CachedLive = Live & { role?: LiveRole | undefined };

/** Lives as last seen from a server, so that the studio lists them (and opens their chat) while offline. */
export class LivesStore {
  constructor(private readonly db: HostDb) {}

  save(serverKey: string, live: Live, role?: LiveRole): void {
    const now = new Date().toISOString();
    const data = JSON.stringify(liveSchema.parse(live));
    this.db
      .insert(lives)
      .values({ serverKey, id: live.id, data, role: role ?? null, updatedAt: now })
      .onConflictDoUpdate({
        target: [lives.serverKey, lives.id],
        // A role we learnt stays known when a list (which does not carry roles) refreshes the live.
        set: role ? { data, role, updatedAt: now } : { data, updatedAt: now },
      })
      .run();
  }

  get(serverKey: string, id: number): CachedLive | null {
    const row = this.db
      .select()
      .from(lives)
      .where(and(eq(lives.serverKey, serverKey), eq(lives.id, id)))
      .get();
    return row ? { ...(JSON.parse(row.data) as Live), ...(row.role ? { role: row.role } : {}) } : null;
  }

  /** Newest first, like the server's list. */
  list(serverKey: string): CachedLive[] {
    return this.db
      .select()
      .from(lives)
      .where(eq(lives.serverKey, serverKey))
      .orderBy(desc(lives.id))
      .all()
      .map((row) => ({ ...(JSON.parse(row.data) as Live), ...(row.role ? { role: row.role } : {}) }));
  }
}
