import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  removeDir,
  startTestChatServer,
  startTestHost,
  type TestChatServer,
  type TestHost,
  uniqueEmail,
} from '../sync/testing/fixtures';

const FIXTURES = fileURLToPath(new URL('../recording/fixtures/chromium-vp9', import.meta.url));
const CHUNKS = readdirSync(FIXTURES)
  .sort()
  .map((name) => readFileSync(join(FIXTURES, name)));
const CHUNK_BYTES = 64 * 1024;
const UPLOAD = { chunkBytes: CHUNK_BYTES, flushAfterMs: 150, backoff: { baseMs: 50, capMs: 300 } };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Counts the bytes of every tus PATCH the server receives: what the host sent, resends included. */
function countPatchBytes(server: TestChatServer, recordingId: string) {
  const counter = { bytes: 0 };
  server.server!.server.prependListener('request', (req: IncomingMessage) => {
    if (req.method === 'PATCH' && req.url?.endsWith(`/api/recordings/uploads/${recordingId}`))
      counter.bytes += Number(req.headers['content-length'] ?? 0);
  });
  return counter;
}

describe('recording upload from the studio (tus, progressive, resumable)', () => {
  let server: TestChatServer;
  let studio: TestHost;
  let liveId: number;
  let token: string;
  const password = 'motdepasse-solide';
  const email = uniqueEmail('uploader');

  beforeAll(async () => {
    server = await startTestChatServer(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
    studio = await startTestHost(server.url, undefined, { upload: UPLOAD });
    await studio.api.account.register({ email, password, first_name: 'Awa', last_name: 'Ndiaye' });
    const live = await studio.api.lives.create({ title: 'Upload live', description: '' });
    await studio.api.lives.start({ liveId: live.id });
    liveId = live.id;
    token = studio.host.accounts.get(studio.host.link.target!.serverKey)!.token!;
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    removeDir(studio?.dataDir ?? '');
    await server?.drop();
  });

  const serverList = async () => {
    const response = await fetch(`${server.url}/api/posts/live/${liveId}/recordings/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return (await response.json()) as Array<{
      id: string;
      state: string;
      uploaded_bytes: number;
      file_url: string;
    }>;
  };

  it('sends while it records (the server holds part of it before the stop), then ends byte-identical to the finalized file', async () => {
    const started = await studio.api.recording.start({ mime: 'video/webm;codecs=vp9', liveId });
    const patched = countPatchBytes(server, started.id);
    for (const [seq, chunk] of CHUNKS.slice(0, 6).entries())
      await studio.host.recordings.chunk(started.id, seq, chunk);
    // Still recording: what the chunk writer synced is already on the server, seconds behind.
    const during = await eventually(async () => {
      const found = (await serverList()).find((recording) => recording.id === started.id);
      expect(found?.uploaded_bytes ?? 0).toBeGreaterThan(0);
      return found!;
    });
    expect(during.state).toBe('uploading');
    expect(studio.host.recordings.get(started.id).status).toBe('recording');
    // The server stores a PATCH before the host reads its answer: the host's state follows a moment later.
    await eventually(async () =>
      expect(studio.host.recordings.get(started.id).upload_state).toBe('uploading'),
    );
    // The part so far plays for the staff (it may have grown since it was listed).
    const partial = await fetch(during.file_url);
    expect(partial.status).toBe(200);
    expect((await partial.arrayBuffer()).byteLength).toBeGreaterThanOrEqual(during.uploaded_bytes);

    for (const [index, chunk] of CHUNKS.slice(6).entries())
      await studio.host.recordings.chunk(started.id, 6 + index, chunk);
    await studio.api.recording.stop({ id: started.id, lastSeq: CHUNKS.length - 1 });
    const finalized = await studio.host.recordings.whenFinalized(started.id);
    const local = readFileSync(studio.host.recordings.fileFor(started.id)!.path);
    await eventually(
      () => expect(studio.host.recordings.get(started.id).upload_state).toBe('uploaded'),
      30_000,
    );
    const onServer = (await serverList()).find((recording) => recording.id === started.id)!;
    expect(onServer.state).toBe('complete');
    const served = Buffer.from(await (await fetch(onServer.file_url)).arrayBuffer());
    expect(served.length).toBe(finalized.bytes);
    expect(sha256(served)).toBe(sha256(local));
    // Finalization rewrote the head and the cluster sizes: those went as patches, not as a second upload.
    expect(patched.bytes).toBeLessThanOrEqual(local.length + CHUNK_BYTES);
    expect(studio.host.recordings.get(started.id)).toMatchObject({
      uploaded_bytes: local.length,
      upload_error: null,
    });
  }, 60_000);

  it('a recording made while the server was down goes up when it is back; the host restarting mid-upload resumes it without resending what the server had', async () => {
    await server.stop();
    const started = await studio.api.recording.start({ mime: 'video/webm;codecs=vp9', liveId });
    for (const [seq, chunk] of CHUNKS.entries()) await studio.host.recordings.chunk(started.id, seq, chunk);
    await studio.api.recording.stop({ id: started.id, lastSeq: CHUNKS.length - 1 });
    await studio.host.recordings.whenFinalized(started.id);
    const local = readFileSync(studio.host.recordings.fileFor(started.id)!.path);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(studio.host.recordings.get(started.id).upload_state).toBe('local');

    // A cap makes the upload slow enough to stop the host half-way.
    studio.host.uploadPreferences.set({ auto: true, maxKilobytesPerSecond: 128 });
    await server.start();
    const patched = countPatchBytes(server, started.id);
    const atStop = await eventually(() => {
      const view = studio.host.recordings.get(started.id);
      expect(view.uploaded_bytes).toBeGreaterThan(0);
      return view.uploaded_bytes;
    }, 20_000);
    await studio.close();
    expect(atStop).toBeLessThan(local.length);

    studio = await startTestHost(server.url, studio.dataDir, { upload: UPLOAD });
    studio.host.uploadPreferences.set({ auto: true, maxKilobytesPerSecond: null });
    await eventually(
      () => expect(studio.host.recordings.get(started.id).upload_state).toBe('uploaded'),
      30_000,
    );
    // Everything was sent once, but for at most the one chunk in flight when the host stopped.
    expect(patched.bytes).toBeLessThanOrEqual(local.length + CHUNK_BYTES);
    const onServer = (await serverList()).find((recording) => recording.id === started.id)!;
    const served = Buffer.from(await (await fetch(onServer.file_url)).arrayBuffer());
    expect(sha256(served)).toBe(sha256(local));
    expect((await serverList()).filter((recording) => recording.id === started.id)).toHaveLength(1);
  }, 90_000);

  it('with automatic upload off, a recording stays local until "Upload now"', async () => {
    studio.host.uploadPreferences.set({ auto: false, maxKilobytesPerSecond: null });
    const started = await studio.api.recording.start({ mime: 'video/webm;codecs=vp9', liveId });
    for (const [seq, chunk] of CHUNKS.slice(0, 3).entries())
      await studio.host.recordings.chunk(started.id, seq, chunk);
    await studio.api.recording.stop({ id: started.id, lastSeq: 2 });
    await studio.host.recordings.whenFinalized(started.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(studio.host.recordings.get(started.id).upload_state).toBe('local');
    expect((await serverList()).some((recording) => recording.id === started.id)).toBe(false);
    studio.host.uploads.retry(started.id);
    await eventually(
      () => expect(studio.host.recordings.get(started.id).upload_state).toBe('uploaded'),
      30_000,
    );
    studio.host.uploadPreferences.set({ auto: true, maxKilobytesPerSecond: null });
  }, 60_000);
});
