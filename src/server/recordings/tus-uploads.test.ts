import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningChatServer, startChatServer } from '../http';
import { seedCast } from '../testing/fixtures';
import { restClient } from '../testing/rest-client';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { tusUpload } from '../testing/tus-client';
import { webmLikeBytes } from '../testing/upload-client';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** What the host's finalization does to a file it already uploaded in part: rewrites bytes, appends a tail. */
function finalizeLike(raw: Buffer, tail: Buffer) {
  const final = Buffer.concat([raw, tail]);
  const patches = [
    { at: 20, data: Buffer.from('SEEKHEAD+INFO').toString('base64') },
    { at: 70_000, data: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).toString('base64') },
  ];
  for (const patch of patches) Buffer.from(patch.data, 'base64').copy(final, patch.at);
  return { final, patches };
}

describe('resumable recording uploads (tus) on the server', () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;
  let recordingsDir: string;
  let cast: Awaited<ReturnType<typeof seedCast>>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    recordingsDir = await mkdtemp(join(tmpdir(), 'cc-tus-'));
    server = await startChatServer({
      database: testDb.database,
      recordingsDir,
      recordingLimits: { maxFileBytes: 2 * 1024 * 1024, quotaBytes: 3 * 1024 * 1024 },
    });
    cast = await seedCast(server.services.env);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  const rowOf = async (id: string) =>
    (
      await testDb.database.query<{ state: string; sha256: string | null; size_bytes: string }>(
        `select state, sha256, size_bytes from recordings where id = '${id}'`,
      )
    )[0];

  it('a deferred-length upload, resumed after a cut without resending acknowledged bytes, completes with patches laid over: the file served is the finalized one, by range too', async () => {
    const id = randomUUID();
    const raw = Buffer.from(webmLikeBytes(200_000));
    const chunkSize = 64 * 1024;
    // The host is cut after one chunk (a crash, a network loss): the server holds exactly that chunk.
    const first = await tusUpload(server.url, cast.host.token, {
      liveId: cast.live.id,
      recordingId: id,
      bytes: raw,
      chunkSize,
      stopAfterChunks: 1,
    });
    expect(first.error).toBeNull();
    expect(first.url).toContain(`/api/recordings/uploads/${id}`);
    expect((await rowOf(id))!.state).toBe('uploading');

    // While it uploads, the live's staff play the part received so far; it is never cached.
    const moderator = restClient(server.url, cast.moderator.token);
    const listed = await moderator.get(`/api/posts/live/${cast.live.id}/recordings/`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      expect.objectContaining({ id, state: 'uploading', uploaded_bytes: chunkSize, sha256: null }),
    ]);
    const partial = await fetch(listed.body[0].file_url);
    expect(partial.status).toBe(200);
    expect(partial.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await partial.arrayBuffer()).equals(raw.subarray(0, chunkSize))).toBe(true);
    // A viewer does not see it, listed or played.
    const viewer = restClient(server.url, cast.viewer.token);
    expect((await viewer.get(`/api/posts/live/${cast.live.id}/recordings/`)).body).toEqual([]);
    expect((await viewer.get(`/api/recordings/${id}/file/`)).status).toBe(404);

    // Finalization rewrote the head and a cluster size, and appended the Cues.
    const { final, patches } = finalizeLike(raw, Buffer.from('CUES'.repeat(100)));
    const resumed = await tusUpload(server.url, cast.host.token, {
      liveId: cast.live.id,
      recordingId: id,
      bytes: final,
      chunkSize,
      uploadUrl: first.url,
    });
    expect(resumed.error).toBeNull();
    expect(resumed.firstOffset).toBe(chunkSize);

    const host = restClient(server.url, cast.host.token);
    // A claim that does not match what the server holds changes nothing.
    const wrong = await host.post(`/api/recordings/${id}/complete/`, { sha256: sha256(final), patches: [] });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toMatch(/SHA-256/);
    expect((await rowOf(id))!.state).toBe('uploading');

    const done = await host.post(`/api/recordings/${id}/complete/`, {
      sha256: sha256(final),
      patches,
      duration_ms: 5000,
      clock_offset_ms: -12,
    });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ id, state: 'complete', size: final.length, sha256: sha256(final) });
    // Twice is the same answer (a host that lost the first reply asks again).
    expect(
      (await host.post(`/api/recordings/${id}/complete/`, { sha256: sha256(final), patches })).status,
    ).toBe(200);

    const after = (await moderator.get(`/api/posts/live/${cast.live.id}/recordings/`)).body[0];
    expect(after).toMatchObject({
      state: 'complete',
      size: final.length,
      duration_ms: 5000,
      clock_offset_ms: -12,
    });
    const whole = await fetch(after.file_url);
    expect(whole.headers.get('etag')).toBe(`"${sha256(final)}"`);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(final));
    // A range across a patch has the patched bytes.
    const range = await fetch(after.file_url, { headers: { range: 'bytes=69990-70020' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 69990-70020/${final.length}`);
    expect(Buffer.from(await range.arrayBuffer()).equals(final.subarray(69990, 70021))).toBe(true);

    // Completed: it cannot be abandoned by tus, nor written again.
    const terminate = await fetch(`${server.url}/api/recordings/uploads/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${cast.host.token}`, 'tus-resumable': '1.0.0' },
    });
    expect(terminate.status).toBe(409);
  });

  it('a second creation under the same recording id is refused: a recording is never twice on the server', async () => {
    const id = randomUUID();
    const bytes = Buffer.from(webmLikeBytes(10_000));
    expect(
      (await tusUpload(server.url, cast.host.token, { liveId: cast.live.id, recordingId: id, bytes })).error,
    ).toBeNull();
    const again = await tusUpload(server.url, cast.host.token, {
      liveId: cast.live.id,
      recordingId: id,
      bytes,
    });
    expect(again.status).toBe(409);
    const rows = await testDb.database.query<{ n: string }>(
      `select count(*) as n from recordings where id = '${id}'`,
    );
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('who may upload: the host and moderators; a viewer 403, nobody signed in 401, an unknown live 404, no live 400', async () => {
    const bytes = Buffer.from(webmLikeBytes(10_000));
    const before = await testDb.database.query<{ n: string }>('select count(*) as n from recordings');
    expect((await tusUpload(server.url, cast.viewer.token, { liveId: cast.live.id, bytes })).status).toBe(
      403,
    );
    expect((await tusUpload(server.url, null, { liveId: cast.live.id, bytes })).status).toBe(401);
    expect((await tusUpload(server.url, 'not-a-token', { liveId: cast.live.id, bytes })).status).toBe(401);
    expect((await tusUpload(server.url, cast.host.token, { liveId: 999_999, bytes })).status).toBe(404);
    expect((await tusUpload(server.url, cast.host.token, { liveId: 'x', bytes })).status).toBe(400);
    expect(
      (await tusUpload(server.url, cast.host.token, { liveId: cast.live.id, bytes, filetype: 'text/plain' }))
        .status,
    ).toBe(400);
    const after = await testDb.database.query<{ n: string }>('select count(*) as n from recordings');
    expect(after[0]!.n).toBe(before[0]!.n);
    // Someone else's upload does not exist for them, even for the live's other staff.
    const id = randomUUID();
    await tusUpload(server.url, cast.moderator.token, {
      liveId: cast.live.id,
      recordingId: id,
      bytes,
      stopAfterChunks: 1,
    });
    const head = await fetch(`${server.url}/api/recordings/uploads/${id}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${cast.host.token}`, 'tus-resumable': '1.0.0' },
    });
    expect(head.status).toBe(404);
  });

  it('a file past the per-file limit is a 413 at its creation or at the chunk that crosses it, with nothing more stored', async () => {
    const declared = await fetch(`${server.url}/api/recordings/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${cast.otherHost.token}`,
        'tus-resumable': '1.0.0',
        'upload-length': String(3 * 1024 * 1024),
        'upload-metadata': `live_id ${Buffer.from(String(cast.otherLive.id)).toString('base64')}`,
      },
    });
    expect(declared.status).toBe(413);
    const id = randomUUID();
    const big = await tusUpload(server.url, cast.otherHost.token, {
      liveId: cast.otherLive.id,
      recordingId: id,
      bytes: Buffer.from(webmLikeBytes(2 * 1024 * 1024 + 100_000)),
      chunkSize: 512 * 1024,
    });
    expect(big.status).toBe(413);
    expect(
      JSON.parse((big.error as { originalResponse?: { getBody(): string } }).originalResponse!.getBody())
        .error,
    ).toMatch(/volumineux/);
    const held = await restClient(server.url, cast.otherHost.token).get(
      `/api/posts/live/${cast.otherLive.id}/recordings/`,
    );
    expect(held.body.find((r: { id: string }) => r.id === id).uploaded_bytes).toBe(2 * 1024 * 1024);
  });

  it("an hour's worth of patches (more than a chat message's 64 KiB body) is accepted at completion", async () => {
    const id = randomUUID();
    const raw = Buffer.from(webmLikeBytes(400_000));
    await tusUpload(server.url, cast.host.token, { liveId: cast.live.id, recordingId: id, bytes: raw });
    // 8-byte cluster sizes every few seconds for an hour, and the Cues: ~20,000 patches.
    const final = Buffer.from(raw);
    const patches = Array.from({ length: 20_000 }, (_, i) => {
      const at = 100 + i * 19;
      final.writeUInt32BE(i, at);
      return { at, data: final.subarray(at, at + 8).toString('base64') };
    });
    const done = await restClient(server.url, cast.host.token).post(`/api/recordings/${id}/complete/`, {
      sha256: sha256(final),
      patches,
    });
    expect(done.status).toBe(200);
    const served = await fetch(
      (
        await restClient(server.url, cast.host.token).get(`/api/posts/live/${cast.live.id}/recordings/`)
      ).body.find((r: { id: string }) => r.id === id).file_url,
    );
    expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(sha256(final));
  });

  it('bytes that are not a video are refused at completion and the recording stays incomplete', async () => {
    const id = randomUUID();
    const text = Buffer.from('this is not a video at all, only text'.repeat(100));
    expect(
      (await tusUpload(server.url, cast.host.token, { liveId: cast.live.id, recordingId: id, bytes: text }))
        .error,
    ).toBeNull();
    const done = await restClient(server.url, cast.host.token).post(`/api/recordings/${id}/complete/`, {
      sha256: sha256(text),
    });
    expect(done.status).toBe(400);
    expect(done.body.error).toMatch(/vidéo/);
    expect((await rowOf(id))!.state).toBe('uploading');
  });

  it("publishing and deleting are the host's, logged; a viewer plays a published recording of an ended live only", async () => {
    const id = randomUUID();
    const bytes = Buffer.from(webmLikeBytes(20_000));
    await tusUpload(server.url, cast.host.token, { liveId: cast.live.id, recordingId: id, bytes });
    const host = restClient(server.url, cast.host.token);
    expect((await host.post(`/api/recordings/${id}/complete/`, { sha256: sha256(bytes) })).status).toBe(200);
    const moderator = restClient(server.url, cast.moderator.token);
    expect((await moderator.post(`/api/recordings/${id}/publish/`, { published: true })).status).toBe(403);
    expect((await host.post(`/api/recordings/${id}/publish/`, { published: 'yes' })).status).toBe(400);
    expect((await host.post(`/api/recordings/${id}/publish/`, { published: true })).body.published).toBe(
      true,
    );
    const viewer = restClient(server.url, cast.viewer.token);
    // Published, but the live still runs: not yet for viewers.
    expect((await viewer.get(`/api/recordings/${id}/file/`)).status).toBe(404);
    expect((await host.call('PUT', `/api/posts/live/${cast.live.id}/stop/`)).status).toBe(200);
    const played = await viewer.get(`/api/recordings/${id}/file/`);
    expect(played.status).toBe(200);

    expect((await moderator.call('DELETE', `/api/recordings/${id}/`)).status).toBe(403);
    expect((await host.call('DELETE', `/api/recordings/${id}/`)).status).toBe(204);
    expect(await rowOf(id)).toBeUndefined();
    expect((await readdir(join(recordingsDir, 'tus'))).filter((name) => name.startsWith(id))).toEqual([]);
    const log = await testDb.database.query<{ action: string }>(
      `select action from moderation_log where post_id = ${cast.live.id} and action like '%recording' order by id`,
    );
    expect(log.map((entry) => entry.action)).toEqual(['publish_recording', 'delete_recording']);
  });
});
