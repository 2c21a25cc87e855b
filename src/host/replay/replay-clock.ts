import type { RecordingPause } from '../db/schema/recordings';
import { videoTimeAt } from '../recording/video-time';

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
