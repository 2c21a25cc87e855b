import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALL_FORMATS,
  BufferSource,
  EncodedAudioPacketSource,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  FilePathTarget,
  Input,
  Output,
  WebMOutputFormat,
} from 'mediabunny';

/** Ten seconds of real Chromium MediaRecorder output (fake camera, 1280×720, VP9 + Opus), one file per 1 s chunk. */
export const FIXTURE_DIR = fileURLToPath(
  new URL('../../../src/host/recording/fixtures/chromium-vp9', import.meta.url),
);

export function fixtureChunks(): Buffer[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.bin'))
    .sort()
    .map((name) => readFileSync(join(FIXTURE_DIR, name)));
}

/**
 * Writes a long recording shaped like Chromium's (append-only WebM: no duration, no cues, clusters of unknown
 * size) by repeating the fixture's packets with shifted timestamps, without re-encoding. It stands in for an hour
 * of camera, which we cannot record on a test machine in reasonable time.
 */
export async function writeSyntheticRecording(file: string, minutes: number): Promise<void> {
  const input = new Input({ source: new BufferSource(Buffer.concat(fixtureChunks())), formats: ALL_FORMATS });
  const video = await input.getPrimaryVideoTrack();
  const audio = await input.getPrimaryAudioTrack();
  if (!video || !audio) throw new Error('fixture lacks a video or an audio track');
  const videoPackets = await collect(new EncodedPacketSink(video));
  const audioPackets = await collect(new EncodedPacketSink(audio));
  const period = Math.ceil((await input.computeDuration()) * 10) / 10;
  const videoConfig = await video.getDecoderConfig();
  const audioConfig = await audio.getDecoderConfig();

  const output = new Output({
    format: new WebMOutputFormat({ appendOnly: true }),
    target: new FilePathTarget(file),
  });
  const videoSource = new EncodedVideoPacketSource('vp9');
  const audioSource = new EncodedAudioPacketSource('opus');
  output.addVideoTrack(videoSource);
  output.addAudioTrack(audioSource);
  await output.start();
  const loops = Math.ceil((minutes * 60) / period);
  for (let loop = 0; loop < loops; loop++) {
    const shift = loop * period;
    // Interleave by time so that clusters hold both tracks, as a recorder's do.
    let a = 0;
    for (const packet of videoPackets) {
      while (a < audioPackets.length && audioPackets[a]!.timestamp <= packet.timestamp) {
        const first = loop === 0 && a === 0;
        await audioSource.add(
          audioPackets[a]!.clone({ timestamp: audioPackets[a]!.timestamp + shift }),
          first && audioConfig ? { decoderConfig: audioConfig } : undefined,
        );
        a++;
      }
      const first = loop === 0 && packet === videoPackets[0];
      await videoSource.add(
        packet.clone({ timestamp: packet.timestamp + shift }),
        first && videoConfig ? { decoderConfig: videoConfig } : undefined,
      );
    }
    for (; a < audioPackets.length; a++) {
      await audioSource.add(audioPackets[a]!.clone({ timestamp: audioPackets[a]!.timestamp + shift }));
    }
  }
  await output.finalize();
  input.dispose();
}

async function collect(sink: EncodedPacketSink) {
  const packets = [];
  for await (const packet of sink.packets()) packets.push(packet);
  return packets;
}
