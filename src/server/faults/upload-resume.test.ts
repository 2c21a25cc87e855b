import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findNginx, type RunningNginx, startNginx } from '../../../scripts/cluster';
import {
  canRunPrivatePostgres,
  type PrivatePostgres,
  startPrivatePostgres,
} from '../testing/private-postgres';
import { NGINX_NEEDS, PRIVATE_POSTGRES_NEEDS, requireFacility } from '../testing/requirements';
import { tusUpload } from '../testing/tus-client';
import { webmLikeBytes } from '../testing/upload-client';
import { type ChatNode, startChatNode } from './support/chat-node';
import { startLive } from './support/chat-swarm';

/**
 * Fault: a recording's upload starts on one node, which is killed (SIGKILL) half-way; the studio resumes it
 * through nginx on the other node, which shares the recordings directory (docs/scaling.md, "Recordings"), from
 * the offset the first node stored. The server ends with the host's bytes exactly, once.
 */
describe('fault: a recording upload resumes on another node', () => {
  beforeAll(() => {
    requireFacility(canRunPrivatePostgres(), PRIVATE_POSTGRES_NEEDS);
    requireFacility(findNginx(), NGINX_NEEDS);
  });
  let postgres: PrivatePostgres;
  let nodes: ChatNode[];
  let nginx: RunningNginx;

  beforeEach(async () => {
    postgres = await startPrivatePostgres();
    const databaseUrl = await postgres.createDatabase('fault_uploads');
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-shared-data-')) };
    nodes = await Promise.all(
      ['node-a', 'node-b'].map((nodeId) => startChatNode({ databaseUrl, nodeId, env })),
    );
    nginx = await startNginx(nodes.map((node) => node.port));
  }, 60_000);
  afterEach(async () => {
    await nginx?.stop();
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await postgres?.destroy();
  });

  it('killed on node A after two chunks, it completes through nginx on node B without resending them', async () => {
    const { host, postId } = await startLive(nginx.url);
    const id = randomUUID();
    const bytes = Buffer.from(webmLikeBytes(1024 * 1024));
    const chunkSize = 128 * 1024;
    const first = await tusUpload(nodes[0]!.url, host.token, {
      liveId: postId,
      recordingId: id,
      bytes,
      chunkSize,
      stopAfterChunks: 2,
    });
    expect(first.error).toBeNull();
    nodes[0]!.signal('SIGKILL');
    await nodes[0]!.exited;

    const resumed = await tusUpload(nginx.url, host.token, {
      liveId: postId,
      recordingId: id,
      bytes,
      chunkSize,
      uploadUrl: `${nginx.url}/api/recordings/uploads/${id}`,
    });
    expect(resumed.error).toBeNull();
    expect(resumed.firstOffset).toBe(2 * chunkSize);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const done = await fetch(`${nginx.url}/api/recordings/${id}/complete/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
      body: JSON.stringify({ sha256 }),
    });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ state: 'complete', size: bytes.length, sha256 });
    host.close();
  }, 90_000);
});
