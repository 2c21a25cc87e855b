import { recordingRouter } from './recording';
import { systemRouter } from './system';
import { router } from './trpc';

/** The hostRouter: one sub-router per domain of the desktop core. */
export const hostRouter = router({
  system: systemRouter,
  recording: recordingRouter,
});
