import { z } from 'zod';
import type { SettingsStore } from '../db/settings-store';
import type { SyncEngine, SyncTarget } from '../sync/engine';
import { type ChatServerApi, createServerApi } from '../sync/server-api';
import type { AccountsStore } from '../db/accounts-store';
import { type EmbeddedServer, type EmbeddedServerOptions, startEmbeddedServer } from './embedded';
import { accountCredentials } from './session-renewal';
import { EMBEDDED_SERVER_KEY, normalizeServerUrl, remoteServerKey } from './server-key';

export const connectionChoiceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('embedded') }),
  z.object({ mode: z.literal('remote'), url: z.string().trim().min(1).max(2000) }),
]);
export type ConnectionChoice = z.infer<typeof connectionChoiceSchema>;

const CHOICE_SETTING = 'connection';

export type ServerLinkOptions = {
  dataDir: string;
  settings: SettingsStore;
  accounts: AccountsStore;
  engine: SyncEngine;
  /** STUDIO_SERVER_URL: a remote server preselected for this launch (not saved). */
  presetServerUrl?: string | undefined;
  embedded?: Omit<EmbeddedServerOptions, 'dataDir'>;
};

/**
 * Which chat server the studio talks to: the embedded one (started here, on demand) or a remote one. Each
 * keeps its own cache and account; switching stops the old sync session and starts the new one.
 */
export class ServerLink {
  readonly #o: ServerLinkOptions;
  #embedded: EmbeddedServer | null = null;
  #switching: Promise<unknown> = Promise.resolve();

  constructor(options: ServerLinkOptions) {
    this.#o = options;
  }

  /** Resumes the preset or saved choice; with neither, waits for the user's first-run choice. */
  async start(): Promise<void> {
    const preset = this.#o.presetServerUrl;
    const saved = this.#o.settings.read(CHOICE_SETTING, connectionChoiceSchema);
    const choice: ConnectionChoice | null = preset ? { mode: 'remote', url: preset } : saved;
    if (choice) await this.#apply(choice);
  }

  /** The user's choice (Settings or first run): saved, and applied at once. */
  async choose(choice: ConnectionChoice): Promise<void> {
    const normalized: ConnectionChoice =
      choice.mode === 'remote' ? { mode: 'remote', url: normalizeServerUrl(choice.url) } : choice;
    await this.#apply(normalized);
    this.#o.settings.write(CHOICE_SETTING, normalized);
  }

  get target(): SyncTarget | null {
    return this.#o.engine.target;
  }

  /** The server's key, or a clear error for the renderer when no server is chosen yet. */
  requireTarget(): SyncTarget {
    const target = this.target;
    if (!target)
      throw new Error('Choose a chat server first (Sur cet ordinateur or Serveur CommuniConnect).');
    return target;
  }

  /** A client for one-off calls (sign-in, lives) with the current account's token. */
  api(): { api: ChatServerApi; target: SyncTarget } {
    const target = this.requireTarget();
    const credentials = accountCredentials(this.#o.accounts, target.serverKey, target.url);
    return { api: createServerApi({ url: target.url, ...credentials }), target };
  }

  async close(): Promise<void> {
    await this.#switching.catch(() => undefined);
    await this.#o.engine.setTarget(null);
    await this.#embedded?.close();
    this.#embedded = null;
  }

  #apply(choice: ConnectionChoice): Promise<void> {
    const run = this.#switching.catch(() => undefined).then(() => this.#switch(choice));
    this.#switching = run;
    return run;
  }

  async #switch(choice: ConnectionChoice): Promise<void> {
    if (choice.mode === 'embedded') {
      this.#embedded ??= await startEmbeddedServer({ ...this.#o.embedded, dataDir: this.#o.dataDir });
      await this.#o.engine.setTarget({
        mode: 'embedded',
        serverKey: EMBEDDED_SERVER_KEY,
        url: this.#embedded.url,
      });
      return;
    }
    const url = normalizeServerUrl(choice.url);
    await this.#o.engine.setTarget({ mode: 'remote', serverKey: remoteServerKey(url), url });
    // The embedded server is not needed while another one is chosen.
    const embedded = this.#embedded;
    this.#embedded = null;
    await embedded?.close();
  }
}
