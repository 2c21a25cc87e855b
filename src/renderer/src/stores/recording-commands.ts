import type { StateCreator } from 'zustand';
import type { StudioStore } from './index';

/**
 * The recording shortcut lives in the shell but the recorder lives in its panel: the shortcut bumps this
 * counter and the panel (or anyone listening to the `studio:toggle-recording` window event) acts on it.
 */
export type RecordingCommandsSlice = {
  recordingToggleRequest: number;
  requestRecordingToggle(): void;
};

export const RECORDING_TOGGLE_EVENT = 'studio:toggle-recording';

export const createRecordingCommandsSlice: StateCreator<StudioStore, [], [], RecordingCommandsSlice> = (
  set,
) => ({
  recordingToggleRequest: 0,
  requestRecordingToggle: () => {
    set((state) => ({ recordingToggleRequest: state.recordingToggleRequest + 1 }));
    window.dispatchEvent(new CustomEvent(RECORDING_TOGGLE_EVENT));
  },
});
