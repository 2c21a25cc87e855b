import { create } from 'zustand';

/** Which recording the Rediffusion screen plays (chosen in the Library; the newest one otherwise). */
export const useReplaySelection = create<{ recordingId: string | null; choose(id: string | null): void }>()(
  (set) => ({ recordingId: null, choose: (recordingId) => set({ recordingId }) }),
);
