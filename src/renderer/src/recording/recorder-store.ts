import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { MediaProblem } from './media-errors';
import type { QualityPreset } from './recorder-format';

export type RecorderPhase = 'idle' | 'starting' | 'recording' | 'paused' | 'stopping';

/**
 * The recorder's UI state. The device choice, the preset and the auto-record setting are remembered on this
 * computer (localStorage); everything else lives only while the panel does. Server state (the recordings
 * themselves) comes from the host through tRPC, not from here.
 */
export type RecorderStore = {
  cameraId: string | null;
  micId: string | null;
  preset: QualityPreset;
  /** Start recording when the live starts (issue 5: on by default, a setting turns it off). */
  autoRecord: boolean;
  /**
   * A live started from the new-live form ("Démarrer le live") is already live when its studio opens, so the
   * panel never sees it start: the form arms the recorder for that live, once, and the panel starts recording
   * (if `autoRecord` says so) as soon as its camera is open. Not remembered across restarts.
   */
  autoRecordFor: number | null;

  phase: RecorderPhase;
  problem: MediaProblem | null;
  /** The underlying error's own words, shown under the message (useful in a bug report). */
  problemDetail: string | null;
  recordingId: string | null;
  /**
   * The live the current recording belongs to, and its title: a recording belongs to the app, not to the screen
   * in view, so the shell keeps that live's studio mounted and the top bar shows the recording everywhere.
   */
  recordingLiveId: number | null;
  recordingTitle: string | null;
  /** Epoch ms when the current recording's MediaRecorder started. */
  startedAt: number | null;
  elapsedMs: number;
  bytesWritten: number;
  markers: number;

  chooseCamera(id: string | null): void;
  chooseMic(id: string | null): void;
  choosePreset(preset: QualityPreset): void;
  setAutoRecord(on: boolean): void;
  armAutoRecord(liveId: number | null): void;
  update(
    partial: Partial<
      Pick<
        RecorderStore,
        | 'phase'
        | 'problem'
        | 'problemDetail'
        | 'recordingId'
        | 'recordingLiveId'
        | 'recordingTitle'
        | 'startedAt'
        | 'elapsedMs'
        | 'bytesWritten'
        | 'markers'
      >
    >,
  ): void;
};

export const RECORDER_STORE_KEY = 'communiconnect-recorder';

export const useRecorderStore = create<RecorderStore>()(
  persist(
    (set) => ({
      cameraId: null,
      micId: null,
      preset: '720p30',
      autoRecord: true,
      autoRecordFor: null,
      phase: 'idle',
      problem: null,
      problemDetail: null,
      recordingId: null,
      recordingLiveId: null,
      recordingTitle: null,
      startedAt: null,
      elapsedMs: 0,
      bytesWritten: 0,
      markers: 0,
      chooseCamera: (cameraId) => set({ cameraId }),
      chooseMic: (micId) => set({ micId }),
      choosePreset: (preset) => set({ preset }),
      setAutoRecord: (autoRecord) => set({ autoRecord }),
      armAutoRecord: (autoRecordFor) => set({ autoRecordFor }),
      update: (partial) => set(partial),
    }),
    {
      name: RECORDER_STORE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({
        cameraId: state.cameraId,
        micId: state.micId,
        preset: state.preset,
        autoRecord: state.autoRecord,
      }),
    },
  ),
);
