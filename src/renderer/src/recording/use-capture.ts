import { useEffect, useState } from 'react';
import { classifyMediaError, type MediaProblem } from './media-errors';
import { QUALITY_PRESETS, type QualityPreset } from './recorder-format';

export type Capture = {
  stream: MediaStream | null;
  problem: MediaProblem | null;
  acquiring: boolean;
  cameras: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
  /** Ids of the devices actually in use (the remembered ones may have been unplugged since). */
  cameraInUse: string | null;
  micInUse: string | null;
};

/**
 * The camera + microphone stream for the preview and the recorder, for the chosen devices and preset.
 * A remembered device that is gone falls back to the default one rather than failing. `onEnded` fires when a
 * device stops delivering (unplugged, or revoked by the system) — the recorder keeps what it has.
 */
export function useCapture(
  cameraId: string | null,
  micId: string | null,
  preset: QualityPreset,
  attempt: number,
  onEnded: () => void,
): Capture {
  const [capture, setCapture] = useState<Capture>({
    stream: null,
    problem: null,
    acquiring: true,
    cameras: [],
    mics: [],
    cameraInUse: null,
    micInUse: null,
  });

  useEffect(() => {
    // Re-run on retry: `attempt` changes only when the user asks to try again.
    void attempt;
    let cancelled = false;
    let acquired: MediaStream | null = null;
    const { width, height, frameRate } = QUALITY_PRESETS[preset];
    const video = (id: string | null): MediaTrackConstraints => ({
      width: { ideal: width },
      height: { ideal: height },
      frameRate: { ideal: frameRate },
      ...(id ? { deviceId: { exact: id } } : {}),
    });
    const audio = (id: string | null): MediaTrackConstraints => ({
      echoCancellation: true,
      noiseSuppression: true,
      ...(id ? { deviceId: { exact: id } } : {}),
    });

    setCapture((current) => ({ ...current, acquiring: true, problem: null }));
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('no mediaDevices', 'NotFoundError');
      try {
        return await navigator.mediaDevices.getUserMedia({ video: video(cameraId), audio: audio(micId) });
      } catch (error) {
        const name = (error as DOMException).name;
        const remembered = cameraId !== null || micId !== null;
        if (!remembered || (name !== 'OverconstrainedError' && name !== 'NotFoundError')) throw error;
        return navigator.mediaDevices.getUserMedia({ video: video(null), audio: audio(null) });
      }
    })()
      .then(async (stream) => {
        if (cancelled) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        acquired = stream;
        for (const track of stream.getTracks()) track.addEventListener('ended', onEnded);
        const devices = await navigator.mediaDevices.enumerateDevices();
        if (cancelled) return;
        setCapture({
          stream,
          problem: null,
          acquiring: false,
          cameras: devices.filter((device) => device.kind === 'videoinput'),
          mics: devices.filter((device) => device.kind === 'audioinput'),
          cameraInUse: stream.getVideoTracks()[0]?.getSettings().deviceId ?? null,
          micInUse: stream.getAudioTracks()[0]?.getSettings().deviceId ?? null,
        });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setCapture((current) => ({
          ...current,
          stream: null,
          acquiring: false,
          problem: classifyMediaError(error),
        }));
      });

    return () => {
      cancelled = true;
      for (const track of acquired?.getTracks() ?? []) {
        track.removeEventListener('ended', onEnded);
        track.stop();
      }
    };
  }, [cameraId, micId, preset, attempt, onEnded]);

  // Plugging a device in or out changes what the pickers offer.
  useEffect(() => {
    const devices = navigator.mediaDevices;
    if (!devices) return;
    const refresh = () =>
      void devices.enumerateDevices().then((list) =>
        setCapture((current) => ({
          ...current,
          cameras: list.filter((device) => device.kind === 'videoinput'),
          mics: list.filter((device) => device.kind === 'audioinput'),
        })),
      );
    devices.addEventListener('devicechange', refresh);
    return () => devices.removeEventListener('devicechange', refresh);
  }, []);

  return capture;
}
