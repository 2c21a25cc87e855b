/**
 * Which container/codec the recorder asks MediaRecorder for, best first.
 *
 * WebM, not MP4 — decided by recording the fake camera in Chromium 156 and looking at the bytes (issue 5):
 * - Crash safety: with a 1 s timeslice, WebM arrives as a header and then one cluster per second, each playable
 *   as soon as it is on disk; a file cut anywhere (SIGKILL, power loss) plays up to its last whole block.
 *   Chromium's MP4 muxer delivers fragments only at keyframes — and without a keyframe interval it delivered
 *   a 1 kB header, then nothing until stop(): a crash would have lost the whole recording.
 * - Seekability: WebM comes without duration or cues, so the host remuxes it on stop (mediabunny, no
 *   re-encode, ~O(file size)); MP4 would have carried its duration, but that does not outweigh the above.
 * - Playback: <video> in Chromium/Electron plays VP9/VP8 + Opus WebM everywhere, with no proprietary codec;
 *   H.264 recording depends on the build (OpenH264) and MP4+Opus on the player.
 * VP9 before VP8: better picture for the same bytes at 720p/1080p; VP8 costs less CPU and is the fallback.
 */
export const PREFERRED_TYPES = [
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm',
] as const;

export function pickRecorderType(isSupported: (type: string) => boolean): string | null {
  return PREFERRED_TYPES.find((type) => isSupported(type)) ?? null;
}

/** About one chunk per second: at most ~1 s of video is lost to a crash, and each chunk stays small. */
export const TIMESLICE_MS = 1_000;
/** A keyframe every 2 s bounds how far a player decodes after a seek (Chromium's default is far sparser). */
export const KEYFRAME_INTERVAL_MS = 2_000;

export type QualityPreset = '720p30' | '1080p30';
export const QUALITY_PRESETS: Record<
  QualityPreset,
  { width: number; height: number; frameRate: number; videoBitsPerSecond: number }
> = {
  '720p30': {
    width: 1280,
    height: 720,
    frameRate: 30,
    videoBitsPerSecond: 2_500_000,
  },
  '1080p30': {
    width: 1920,
    height: 1080,
    frameRate: 30,
    videoBitsPerSecond: 5_000_000,
  },
};
