import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { concat } from '../recording/webm/ebml';
import { finalizeInPlace } from '../recording/webm/finalize-in-place';
import { reserveHeaderSpace } from '../recording/webm/reserve-header';
import { finalizedPatches } from './finalized-patches';

const FIXTURES = fileURLToPath(new URL('../recording/fixtures/chromium-vp9', import.meta.url));
const chunks = readdirSync(FIXTURES)
  .sort()
  .map((name) => new Uint8Array(readFileSync(join(FIXTURES, name))));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-patches-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What the server ends with: the bytes it received, the patches laid over, then the rest of the final file. */
function serverCopy(
  received: Uint8Array,
  final: Buffer,
  patches: Awaited<ReturnType<typeof finalizedPatches>>,
) {
  const copy = Buffer.concat([Buffer.from(received), final.subarray(received.length)]);
  for (const patch of patches) Buffer.from(patch.data, 'base64').copy(copy, patch.at);
  return copy;
}

describe('the patches of a finalized recording', () => {
  it.each([
    ['all of the recording', 1],
    ['half of it', 0.5],
    ['only its first chunk', 0.05],
  ])('turn what the server received while recording (%s) into the finalized file', async (_label, share) => {
    const part = concat([reserveHeaderSpace(chunks[0]!)!, ...chunks.slice(1)]);
    const file = join(dir, 'live.webm');
    writeFileSync(file, part);
    // What the upload had sent when the recorder stopped: a prefix of the part, as it was then.
    const received = part.slice(0, Math.floor(part.length * share));
    expect(await finalizeInPlace(file)).not.toBeNull();
    const final = readFileSync(file);
    // The file changed below what was sent (head, cluster sizes): without patches the copy would differ.
    expect(serverCopy(received, final, []).equals(final)).toBe(false);
    const patches = await finalizedPatches(file);
    expect(serverCopy(received, final, patches).equals(final)).toBe(true);
    // A few hundred bytes of head, 8 per cluster, and the Cues: a small fraction of the file.
    const patchBytes = patches.reduce((sum, patch) => sum + Buffer.from(patch.data, 'base64').length, 0);
    expect(patchBytes).toBeLessThan(final.length / 20);
  });

  it('a file that is not a WebM has none (its upload starts again if the server copy differs)', async () => {
    const file = join(dir, 'not.webm');
    writeFileSync(file, Buffer.from('not a webm at all'));
    expect(await finalizedPatches(file)).toEqual([]);
  });
});
