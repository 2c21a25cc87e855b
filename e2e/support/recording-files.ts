import { execFileSync, spawnSync } from 'node:child_process';

/** What ffprobe says about a recording file (streams and container duration). */
export function probeRecording(file: string): { streams: string[]; durationS: number } {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration:stream=codec_type',
    '-of',
    'json',
    file,
  ]).toString();
  const parsed = JSON.parse(out) as { format: { duration?: string }; streams: { codec_type: string }[] };
  return {
    streams: parsed.streams.map((s) => s.codec_type).sort(),
    durationS: Number(parsed.format.duration),
  };
}

/** Everything ffmpeg complains about while decoding the whole file (empty = a clean file). */
export function decodeErrors(file: string): string {
  // ffmpeg reports on stderr: that is what must stay empty.
  const run = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  if (run.status !== 0) return `ffmpeg exited ${run.status}: ${run.stderr}`;
  // Chromium on a loaded machine sometimes stamps two audio packets alike; ffmpeg's null muxer names that
  // for the recorder's raw bytes too (see finalize-in-place.test.ts), so it says nothing about our file.
  return run.stderr
    .split('\n')
    .filter((line) => line.trim() && !/non monotonically increasing dts/.test(line))
    .join('\n');
}

/**
 * Seeks to `seconds` through the container's index and decodes one video frame there; returns the timestamp
 * of the frame decoded (ffmpeg's `-ss` before `-i` uses the cues, so this fails on a file without them).
 */
export function decodeFrameAt(file: string, seconds: number): number {
  const out = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-read_intervals',
      `${seconds}%+#1`,
      '-select_streams',
      'v',
      '-show_entries',
      'frame=pts_time',
      '-of',
      'csv=p=0',
      file,
    ],
    { encoding: 'utf8' },
  );
  return Number(out.trim().split('\n')[0]);
}

/** Whether the file holds a Matroska Cues element (ID 0x1C53BB6B): what makes seeking cheap. */
export function hasCues(bytes: Buffer): boolean {
  return bytes.includes(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]));
}
