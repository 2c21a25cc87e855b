import type { Live } from '../../../shared/wire';
import { RecorderPanel } from '../recording/RecorderPanel';

/** The Studio's stage: the recorder (preview, device pickers, meter, recording) from the recording feature. */
export function PreviewSlot({ live }: { live: Live }) {
  return <RecorderPanel live={live} />;
}
