import type { RecordingPause } from '../db/schema/recordings';

/**
 * Where wall-clock instant `at` falls in the video: MediaRecorder.pause() leaves no gap in the file, so the time
 * spent paused before `at` is taken off. Replay uses the same rule to place chat messages.
 */
export function videoTimeAt(at: number, startedAtMs: number, pauses: readonly RecordingPause[]): number {
  let paused = 0;
  for (const pause of pauses) {
    if (pause.start >= at) break;
    paused += Math.min(pause.end ?? at, at) - pause.start;
  }
  return Math.max(0, at - startedAtMs - paused);
}
