import type { ComponentType } from 'react';
import type { Live } from '../../../shared/wire';
import { CameraPreview } from './CameraPreview';

type RecorderPanelModule = { RecorderPanel: ComponentType<{ live: Live }> };

// The recorder panel is built by the recording feature in src/renderer/src/recording; until it exists the
// studio shows a plain camera preview. import.meta.glob keeps this file compiling either way.
const panels = import.meta.glob<RecorderPanelModule>('../recording/RecorderPanel.tsx', { eager: true });
const RecorderPanel = Object.values(panels)[0]?.RecorderPanel;

export function PreviewSlot({ live }: { live: Live }) {
  return RecorderPanel ? <RecorderPanel live={live} /> : <CameraPreview />;
}
