import { z } from 'zod';
import type { SettingsStore } from '../db/settings-store';

const UPLOAD_SETTING = 'recordings.upload';

export const uploadSettingsSchema = z.object({
  /** Recordings go to the live's server on their own (while recording, and once back online). */
  auto: z.boolean(),
  /** A cap on the upload, in kilobytes per second; null: as fast as the link allows. */
  maxKilobytesPerSecond: z.number().int().min(16).max(1_000_000).nullable(),
});
export type UploadSettings = z.infer<typeof uploadSettingsSchema>;

export const DEFAULT_UPLOAD_SETTINGS: UploadSettings = { auto: true, maxKilobytesPerSecond: null };

/** The user's upload choices (Settings), kept in the host's settings table. */
export class UploadPreferences {
  readonly #listeners = new Set<() => void>();

  constructor(private readonly settings: SettingsStore) {}

  current(): UploadSettings {
    return this.settings.read(UPLOAD_SETTING, uploadSettingsSchema) ?? DEFAULT_UPLOAD_SETTINGS;
  }

  set(next: UploadSettings): UploadSettings {
    const value = uploadSettingsSchema.parse(next);
    this.settings.write(UPLOAD_SETTING, value);
    for (const listener of this.#listeners) listener();
    return value;
  }

  bytesPerSecond(): number | null {
    const cap = this.current().maxKilobytesPerSecond;
    return cap ? cap * 1024 : null;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
