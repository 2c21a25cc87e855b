import { accountRouter } from './account';
import { chatRouter } from './chat';
import { connectionRouter } from './connection';
import { exportsRouter } from './library-export';
import { livesRouter } from './lives';
import { moderationRouter } from './moderation';
import { recordingRouter } from './recording';
import { replayRouter } from './replay';
import { systemRouter } from './system';
import { router } from './trpc';

/** The hostRouter: one sub-router per domain of the desktop core. */
export const hostRouter = router({
  system: systemRouter,
  connection: connectionRouter,
  account: accountRouter,
  lives: livesRouter,
  chat: chatRouter,
  recording: recordingRouter,
  moderation: moderationRouter,
  replay: replayRouter,
  exports: exportsRouter,
});
