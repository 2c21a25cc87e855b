/**
 * Where a moment falls in a recording's video: pure arithmetic on the recorder's clock, shared by the host
 * (replay index, markers) and the renderer (Modération seeks the video to a message).
 */

/** A pause of the recorder, in wall-clock epoch ms; `end` is null while paused (or if the app died paused). */
export type RecordingPause = { start: number; end: number | null };

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

/** What places a chat message in a recording's video (design §3 "Replay time"). */
export type ReplayClock = {
  /** Local wall clock (epoch ms) when the recorder started. */
  startedAtMs: number;
  /** Local wall clock when it stopped; null while recording (or if it never stopped cleanly). */
  endedAtMs: number | null;
  /** server clock − local clock, measured when recording started. */
  serverClockOffsetMs: number;
  /** Recorder pauses, local wall clock. */
  pauses: readonly RecordingPause[];
};

/**
 * A message's moment in the video, or null when it was sent before the recording started or after it ended
 * (it is then not part of this replay). The server's timestamp is turned into our local clock with the offset
 * measured at the start, then the time spent paused is taken off: a message sent during a pause lands on the
 * pause point, where the video resumes.
 */
export function messageVideoMs(serverTimestamp: string, clock: ReplayClock): number | null {
  const localMs = Date.parse(serverTimestamp) - clock.serverClockOffsetMs;
  if (Number.isNaN(localMs) || localMs < clock.startedAtMs) return null;
  if (clock.endedAtMs !== null && localMs > clock.endedAtMs) return null;
  return videoTimeAt(localMs, clock.startedAtMs, clock.pauses);
}
