import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { HostDb } from './open';
import { settings } from './schema/index';

/** Typed access to the settings table: each value is JSON, checked against its schema when read. */
export class SettingsStore {
  constructor(private readonly db: HostDb) {}

  read<T>(key: string, schema: z.ZodType<T>): T | null {
    const row = this.db.select().from(settings).where(eq(settings.key, key)).get();
    if (!row) return null;
    const parsed = schema.safeParse(JSON.parse(row.value));
    // A value written by another version that no longer fits is ignored rather than crashing the host.
    return parsed.success ? parsed.data : null;
  }

  write(key: string, value: unknown): void {
    const json = JSON.stringify(value);
    this.db
      .insert(settings)
      .values({ key, value: json })
      .onConflictDoUpdate({ target: settings.key, set: { value: json } })
      .run();
  }
}
