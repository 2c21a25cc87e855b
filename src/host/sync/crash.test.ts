import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHostDatabase } from '../db/open';
import {
  eventually,
  removeDir,
  startTestChatServer,
  startTestHost,
  type TestChatServer,
  type TestHost,
  uniqueEmail,
} from './testing/fixtures';
import { runHostScript } from './testing/run-host-script';

const CRASH_HOST = fileURLToPath(new URL('./testing/crash-host.ts', import.meta.url));

const runCrashingHost = (args: string[]) =>
  runHostScript(CRASH_HOST, args, { STUDIO_TEST_KILL_AFTER_PUSH: '1' });

describe('crash between the push and its ack', () => {
  let server: TestChatServer;
  let studio: TestHost | undefined;
  let dataDir: string;

  beforeAll(async () => {
    server = await startTestChatServer();
  }, 60_000);
  afterAll(async () => {
    await studio?.close();
    await server?.drop();
    if (dataDir) removeDir(dataDir);
  });

  it('a host SIGKILLed after the server accepted leaves one message on the server, and it ends sent', async () => {
    const first = await startTestHost(server.url);
    dataDir = first.dataDir;
    await first.api.account.register({
      email: uniqueEmail('crash'),
      password: 'correct horse battery',
      first_name: 'Ines',
      last_name: 'Moreau',
    });
    const live = await first.api.lives.create({ title: 'Crash live', description: '' });
    await first.api.lives.start({ liveId: live.id });
    await first.close();

    const crashed = await runCrashingHost([dataDir, server.url, String(live.id), 'survives a crash']);
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    const clientId = crashed.stdout.trim();
    const onServer = () =>
      server.testDatabase.database.query<{ id: string }>(
        'select id from chat_messages where client_id = $1::uuid',
        [clientId],
      );
    // The server did accept it: the crash happened after the push, before the ack.
    expect(await onServer()).toHaveLength(1);

    // The ack never made it to disk: the file still says pending (and the typed message was not lost).
    const file = openHostDatabase(dataDir);
    const row = file.sqlite.prepare('select status from messages where client_id = ?').get(clientId);
    file.close();
    expect(row).toEqual({ status: 'pending' });

    studio = await startTestHost(server.url, dataDir);
    const serverKey = studio.host.link.target!.serverKey;
    // The restarted host pushes it again; the server answers with the same message (idempotent on client_id).
    const message = await eventually(() => {
      const cached = studio!.host.chat.get(serverKey, clientId);
      expect(cached?.status).toBe('sent');
      return cached!;
    });
    const rows = await onServer();
    expect(rows).toHaveLength(1);
    expect(message.server_id).toBe(Number(rows[0]!.id));
    const listed = (await studio.api.chat.list({ liveId: live.id })).messages.filter(
      (m) => m.content === 'survives a crash',
    );
    expect(listed).toHaveLength(1);
  }, 60_000);
});
