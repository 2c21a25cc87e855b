import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSyntheticRecording } from '../recording/support/synthetic-recording';
import { createHost } from '../../src/host/host';
import { hostRouter } from '../../src/host/routers/index';
import { createBenchDatabase, machine, spawnChatServer } from '../server/support/server';
import { ms, percentile, runIfMain, tempDir } from './support';

/**
 * Issue 15's live numbers, in the host: a live recorded at one Chromium chunk per second (the fixture's real
 * VP9 chunks, looped) for LIVE_SECONDS while the uploader sends it to `npm run server`. For every sync of the
 * chunk writer, the time until the server acknowledged those bytes (tus offset); and the host's CPU with the
 * upload on, beside the same live with automatic upload off.
 */
const LIVE_SECONDS = 30;

const SYNTHETIC_MINUTES = 10;
/** One second of recording per chunk, as MediaRecorder hands them over: filled in by run(). */
let CHUNKS: Buffer[] = [];

async function recordLive(
  host: Awaited<ReturnType<typeof createHost>>,
  liveId: number,
  seconds = LIVE_SECONDS,
  chunkEveryMs = 1000,
) {
  const durable: Array<{ at: number; bytes: number }> = [];
  const acked: Array<{ at: number; bytes: number }> = [];
  const started = await host.recordings.start({
    mime: 'video/webm;codecs=vp9',
    liveId,
    serverKey: host.link.target!.serverKey,
  });
  host.recordings.events.on(
    'durable',
    (id, bytes) => id === started.id && durable.push({ at: performance.now(), bytes }),
  );
  host.recordings.events.on('change', (view) => {
    if (view.id === started.id && view.uploaded_bytes > (acked.at(-1)?.bytes ?? 0))
      acked.push({ at: performance.now(), bytes: view.uploaded_bytes });
  });
  const t0 = performance.now();
  for (let seq = 0; seq < seconds; seq++) {
    const chunk = CHUNKS[seq % CHUNKS.length]!;
    await host.recordings.chunk(started.id, seq, chunk);
    const next = t0 + (seq + 1) * chunkEveryMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  // Lags of the syncs whose bytes the server acknowledged during the live (the tail waits for the stop).
  const lags = durable
    .map((mark) => acked.find((ack) => ack.bytes >= mark.bytes && ack.at >= mark.at)?.at ?? null)
    .map((ackAt, index) => (ackAt === null ? null : ackAt - durable[index]!.at))
    .filter((lag): lag is number => lag !== null);
  await host.recordings.stop(started.id, seconds - 1);
  await host.recordings.whenFinalized(started.id);
  return {
    lags,
    syncs: durable.length,
    bytes: host.recordings.get(started.id).bytes,
    seconds: (performance.now() - t0) / 1000,
  };
}

export async function run(): Promise<string> {
  const bench = await createBenchDatabase();
  const data = tempDir('cc-bench-upload-host-');
  // A Chromium-shaped recording (the fixture's packets repeated), cut into one-second chunks.
  const synthetic = join(data.dir, 'synthetic.webm');
  await writeSyntheticRecording(synthetic, SYNTHETIC_MINUTES);
  const whole = readFileSync(synthetic);
  const perSecond = Math.ceil(whole.length / (SYNTHETIC_MINUTES * 60));
  CHUNKS = Array.from({ length: Math.ceil(whole.length / perSecond) }, (_, i) =>
    whole.subarray(i * perSecond, (i + 1) * perSecond),
  );
  const server = await spawnChatServer(bench.url, { DATA_DIR: join(data.dir, 'server') });
  const host = await createHost({ dataDir: join(data.dir, 'host'), serverUrl: server.url });
  try {
    const api = hostRouter.createCaller({ host, transport: 'direct' });
    await api.account.register({
      email: `bench-lag-${Date.now()}@example.test`,
      password: 'motdepasse-solide',
      first_name: 'Bench',
      last_name: 'Lag',
    });
    const live = await api.lives.create({ title: 'Bench live', description: '' });
    await api.lives.start({ liveId: live.id });

    host.uploadPreferences.set({ auto: false, maxKilobytesPerSecond: null });
    // A short live first, so that neither measured one pays for the warm-up (JIT, first file, first query).
    await recordLive(host, live.id, 5);
    const without = await recordLive(host, live.id);
    host.uploadPreferences.set({ auto: true, maxKilobytesPerSecond: null });
    const withUpload = await recordLive(host, live.id);
    // The CPU of uploading alone, with nothing else running in this process: a longer recording (all of the
    // synthetic one, its chunks written back to back) made with upload off goes up now. Per byte, then per
    // recorded minute at the fixture's bitrate and at a 2.5 Mbit/s camera.
    host.uploadPreferences.set({ auto: false, maxKilobytesPerSecond: null });
    await recordLive(host, live.id, CHUNKS.length, 0);
    const pending = host.recordings.list().filter((view) => view.upload_state !== 'uploaded');
    const bytes = pending.reduce((sum, view) => sum + view.bytes, 0);
    const cpuBefore = process.cpuUsage();
    host.uploadPreferences.set({ auto: true, maxKilobytesPerSecond: null });
    const deadline = Date.now() + 120_000;
    while (host.recordings.list().some((view) => view.upload_state !== 'uploaded')) {
      if (Date.now() > deadline)
        throw new Error(
          `uploads did not end: ${JSON.stringify(host.recordings.list().map((v) => [v.upload_state, v.upload_error]))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerMiB = (cpu.user + cpu.system) / 1000 / (bytes / 1024 ** 2);
    const fixtureMiBPerMinute = (without.bytes / 1024 ** 2 / without.seconds) * 60;
    // (the bulk recording's chunks came back to back: its bitrate is the fixture's per chunk, one per second)
    const cameraMiBPerMinute = (2.5e6 / 8 / 1024 ** 2) * 60;
    const percentOfCore = (mibPerMinute: number) => ((cpuMsPerMiB * mibPerMinute) / 60_000) * 100;
    const extraCpuPercent = percentOfCore(cameraMiBPerMinute);
    const p50 = percentile(withUpload.lags, 50);
    const p99 = percentile(withUpload.lags, 99);
    return [
      '## Progressive recording upload during a live (host)',
      '',
      `Machine: ${machine()}. ${LIVE_SECONDS} s live, one second of a Chromium-shaped VP9 recording per chunk, chunk writer syncing every`,
      "1 s, uploader's flush after 4 s (the default), `npm run server` on Postgres in another process.",
      '',
      '| | value |',
      '|---|---|',
      `| chunk durable on the host → acknowledged by the server, p50 | ${ms(p50)} (${withUpload.lags.length} of ${withUpload.syncs} syncs) |`,
      `| same, p99 | ${ms(p99)} |`,
      `| host CPU uploading, per MiB sent | ${ms(cpuMsPerMiB)} (${(bytes / 1024 ** 2).toFixed(1)} MiB sent with nothing else running) |`,
      `| per recorded minute, recording's bitrate (${fixtureMiBPerMinute.toFixed(1)} MiB/min) | ${percentOfCore(fixtureMiBPerMinute).toFixed(3)} % of a core |`,
      `| per recorded minute, 2.5 Mbit/s camera (${cameraMiBPerMinute.toFixed(1)} MiB/min) | ${extraCpuPercent.toFixed(3)} % of a core (floor < 0.5 %: ${extraCpuPercent < 0.5 ? 'meets' : '**misses**'}) |`,
      '',
      'The lag is by design at most the flush delay (4 s) plus one sync: the server trails the disk by seconds, well',
      'inside the ~10 s the issue allows.',
      '',
    ].join('\n');
  } finally {
    await host.close();
    await server.stop();
    await bench.drop();
    data.remove();
  }
}

runIfMain(import.meta.url, run);
