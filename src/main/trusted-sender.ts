import { isAppUrl } from './app-origin';

/** The parts of a frame and a webContents this check needs (Electron's WebFrameMain / WebContents, or fakes). */
type FrameLike = { url: string; parent?: unknown };
type WebContentsLike = { id: number; mainFrame: unknown };

/**
 * IPC is accepted only from our window's main frame showing our own page (Electron security checklist item 17:
 * validate the sender of every IPC message). An iframe, another window, or our window after it somehow navigated
 * elsewhere gets no answer.
 */
export function isFromOurMainFrame(
  event: { sender: { id: number }; senderFrame?: unknown },
  ourWebContents: WebContentsLike | undefined,
): boolean {
  if (!ourWebContents || event.sender.id !== ourWebContents.id) return false;
  const frame = event.senderFrame as FrameLike | null | undefined;
  if (!frame || frame !== ourWebContents.mainFrame) return false;
  return isAppUrl(frame.url);
}
