import { forwardRef, type ReactNode, useImperativeHandle, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { messageVideoMs } from '../../../shared/replay-clock';
import type { CachedMessage } from '../../../shared/wire';
import { recordingUrl } from '../replay/video-url';
import { useRecordings } from '../recording/use-recordings';

export type ModerationVideoHandle = { seekTo(message: CachedMessage): void };

/**
 * Modération › the live's video beside its chat: the newest finished recording of this live on this computer
 * (the host's own, or one downloaded from the server). Choosing a message seeks the video to its moment, with
 * the same clock the replay uses (src/shared/replay-clock.ts).
 */
export const ModerationVideo = forwardRef<ModerationVideoHandle, { liveId: number; children: ReactNode }>(
  function ModerationVideo({ liveId, children }, handle) {
    const { t } = useTranslation();
    const list = useRecordings();
    const ofLive = (list.data ?? []).filter((recording) => recording.live_id === liveId);
    const recording = ofLive.find((r) => r.status === 'ready' || r.status === 'recovered') ?? null;
    const recordingNow = ofLive.some((r) => r.status === 'recording' || r.status === 'finalizing');
    const video = useRef<HTMLVideoElement>(null);

    useImperativeHandle(
      handle,
      () => ({
        seekTo(message) {
          if (!recording || !video.current) return;
          const ms = messageVideoMs(message.created_at, {
            startedAtMs: Date.parse(recording.started_at),
            endedAtMs: recording.ended_at ? Date.parse(recording.ended_at) : null,
            serverClockOffsetMs: recording.server_clock_offset_ms,
            pauses: recording.pauses,
          });
          if (ms !== null) video.current.currentTime = ms / 1000;
        },
      }),
      [recording],
    );

    // With a video, it sits beside the chat (`children`); without, a line above the chat says why.
    return (
      <div className={recording ? 'mod-main mod-main-with-video' : 'mod-main'}>
        <section className="mod-video" aria-label={t('moderationVideo.label')}>
          {recording ? (
            <>
              {/* biome-ignore lint/a11y/useMediaCaption: a live's recording has no captions; its chat is beside it. */}
              <video
                ref={video}
                className="mod-video-player"
                data-testid="moderation-video"
                data-recording-id={recording.id}
                src={recordingUrl(`/recordings/${recording.id}.${recording.ext}`)}
                controls
                preload="metadata"
              />
              <p className="muted">{t('moderationVideo.hint')}</p>
            </>
          ) : (
            <p className="muted">
              {recordingNow ? t('moderationVideo.recording') : t('moderationVideo.none')}
            </p>
          )}
        </section>
        {children}
      </div>
    );
  },
);
