import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStudioStore } from '../stores';
import type { Live } from '../../../shared/wire';
import { isTyping } from '../shortcuts';
import { RECORDING_TOGGLE_EVENT } from '../stores/recording-commands';
import { useTRPCClient } from '../trpc';
import { formatElapsed } from './format';
import { LevelMeter } from './LevelMeter';
import type { MediaProblem } from './media-errors';
import { pickRecorderType, QUALITY_PRESETS, type QualityPreset } from './recorder-format';
import { useRecorderStore } from './recorder-store';
import { RecordingsList } from './RecordingsList';
import { RecordingSession } from './recording-session';
import { useCapture } from './use-capture';
import { useFormatBytes } from './use-format-bytes';
import './recorder.css';

/**
 * The recorder: device pickers (remembered), quality preset, live preview, microphone level, start/stop,
 * pause/resume, markers (button or M), elapsed time and bytes the host has written, and the library below.
 * Its words come from the i18n resources (recorder.*), French first, so the language switch changes them.
 */
export function RecorderPanel({ live }: { live?: Live | undefined }) {
  // While another live's recording runs, this live's studio does not open a second recorder: the recording
  // continues in its own (hidden) studio, and this panel says where it is.
  const elsewhere = useRecorderStore(
    (state) =>
      state.phase !== 'idle' &&
      state.recordingLiveId !== null &&
      state.recordingLiveId !== (live?.id ?? null),
  );
  return elsewhere ? <RecordingElsewhere /> : <LiveRecorder live={live} />;
}

function LiveRecorder({ live }: { live?: Live | undefined }) {
  const { t } = useTranslation();
  const formatBytes = useFormatBytes();
  const client = useTRPCClient();
  const state = useRecorderStore();
  const { update } = state;
  const [attempt, setAttempt] = useState(0);
  const sessionRef = useRef<RecordingSession | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const mimeType = useMemo(
    () =>
      typeof MediaRecorder === 'undefined'
        ? null
        : pickRecorderType((type) => MediaRecorder.isTypeSupported(type)),
    [],
  );

  /** Ends the current recording, keeping everything the host received; `problem` says why, if not the user. */
  const stopRecording = useCallback(
    async (problem: MediaProblem | null = null) => {
      const session = sessionRef.current;
      if (!session) return;
      sessionRef.current = null;
      update({ phase: 'stopping', ...(problem ? { problem } : {}) });
      try {
        await session.stop();
      } catch {
        update({ problem: problem ?? 'host' });
      } finally {
        update({
          phase: 'idle',
          elapsedMs: session.elapsedMs(),
          recordingLiveId: null,
          recordingTitle: null,
        });
      }
    },
    [update],
  );

  const onDeviceEnded = useCallback(() => {
    if (sessionRef.current) void stopRecording('unplugged');
    else update({ problem: 'unplugged' });
    // Open the devices again: the remembered one if it came back, else the default; a dead track never records.
    setAttempt((n) => n + 1);
  }, [stopRecording, update]);

  const capture = useCapture(state.cameraId, state.micId, state.preset, attempt, onDeviceEnded);
  const problem = state.problem ?? capture.problem ?? (mimeType ? null : 'unsupported');

  useEffect(() => {
    if (videoRef.current) videoRef.current.srcObject = capture.stream;
  }, [capture.stream]);

  const startRecording = useCallback(async () => {
    if (sessionRef.current || !capture.stream || !mimeType) return;
    update({
      phase: 'starting',
      recordingLiveId: live?.id ?? null,
      recordingTitle: live?.title ?? null,
      problem: null,
      problemDetail: null,
      elapsedMs: 0,
      bytesWritten: 0,
      markers: 0,
    });
    const session = new RecordingSession({
      client,
      stream: capture.stream,
      mimeType,
      preset: state.preset,
      liveId: live?.id,
      liveTitle: live?.title,
      onBytes: (bytes) => update({ bytesWritten: bytes }),
      onHostFailure: (error) => {
        update({ problemDetail: error instanceof Error ? error.message : String(error) });
        void stopRecording('host');
      },
    });
    try {
      await session.start();
      sessionRef.current = session;
      update({ phase: 'recording', recordingId: session.id, startedAt: session.startedAt });
    } catch (error) {
      update({
        phase: 'idle',
        problem: 'host',
        problemDetail: (error as Error).message,
        recordingLiveId: null,
        recordingTitle: null,
      });
    }
  }, [capture.stream, client, live?.id, live?.title, mimeType, state.preset, stopRecording, update]);

  const pause = async () => {
    await sessionRef.current?.pause();
    update({ phase: 'paused' });
  };
  const resume = async () => {
    await sessionRef.current?.resume();
    update({ phase: 'recording' });
  };
  const dropMarker = useCallback(async () => {
    const session = sessionRef.current;
    if (!session) return;
    await session.marker();
    update({ markers: useRecorderStore.getState().markers + 1 });
  }, [update]);

  const recording = state.phase === 'recording' || state.phase === 'paused';

  // Elapsed time, pauses left out, refreshed a few times a second while a recording runs.
  useEffect(() => {
    if (!recording) return;
    const timer = setInterval(() => {
      if (sessionRef.current) update({ elapsedMs: sessionRef.current.elapsedMs() });
    }, 250);
    return () => clearInterval(timer);
  }, [recording, update]);

  // M drops a marker (not while typing in the chat); Alt+R (the shell's shortcut) starts or stops.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.code !== 'KeyM' || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target))
        return;
      if (!sessionRef.current) return;
      event.preventDefault();
      void dropMarker();
    };
    const onToggle = () => void (sessionRef.current ? stopRecording() : startRecording());
    window.addEventListener('keydown', onKey);
    window.addEventListener(RECORDING_TOGGLE_EVENT, onToggle);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(RECORDING_TOGGLE_EVENT, onToggle);
    };
  }, [dropMarker, startRecording, stopRecording]);

  // The live starting starts the recording (unless turned off); the live ending stops it.
  const previousStatus = useRef(live?.status);
  useEffect(() => {
    const before = previousStatus.current;
    previousStatus.current = live?.status;
    if (before === live?.status) return;
    if (live?.status === 'live' && state.autoRecord && capture.stream) void startRecording();
    if (live?.status === 'ended') void stopRecording();
  }, [live?.status, state.autoRecord, capture.stream, startRecording, stopRecording]);

  // A live started from the new-live form: it was live before this panel existed, so the effect above never
  // sees it start. The form armed the recorder for it; start once the camera is open, where the setting says so.
  const armedFor = state.autoRecordFor;
  const { armAutoRecord } = state;
  useEffect(() => {
    if (armedFor === null || armedFor !== live?.id || live.status !== 'live' || !capture.stream) return;
    armAutoRecord(null);
    if (state.autoRecord) void startRecording();
  }, [armedFor, live?.id, live?.status, state.autoRecord, capture.stream, startRecording, armAutoRecord]);

  // The shell keeps this panel mounted while its recording runs, whatever the screen or the live in view; it
  // unmounts only when the studio itself goes (signing out): then the recording ends cleanly, not orphaned.
  useEffect(
    () => () => {
      void stopRecording();
    },
    [stopRecording],
  );

  const retry = () => {
    update({ problem: null, problemDetail: null });
    setAttempt((n) => n + 1);
  };

  return (
    <section
      className="recorder"
      aria-label={t('recorder.region')}
      data-phase={state.phase}
      data-started-at={recording ? (state.startedAt ?? undefined) : undefined}
    >
      <div className="recorder-stage">
        <video
          ref={videoRef}
          className="recorder-preview"
          autoPlay
          muted
          playsInline
          aria-label={t('recorder.preview')}
        />
        {!capture.stream && !problem && <p className="recorder-stage-note">{t('recorder.opening')}</p>}
        {recording && (
          <span
            className={`recorder-badge ${state.phase === 'paused' ? 'is-paused' : ''}`}
            aria-hidden="true"
          >
            {state.phase === 'paused' ? t('recorder.badgePaused') : t('recorder.badgeRecording')}
          </span>
        )}
      </div>

      {problem && (
        <div className="recorder-problem" role="alert">
          <div>
            <p>{t(`recorder.problems.${problem}`)}</p>
            {state.problemDetail && <p className="recorder-problem-detail">{state.problemDetail}</p>}
          </div>
          {problem !== 'unsupported' && !recording && (
            <button type="button" className="button button-small" onClick={retry}>
              {t('recorder.retry')}
            </button>
          )}
        </div>
      )}

      <div className="recorder-controls">
        {recording || state.phase === 'stopping' ? (
          <button
            type="button"
            className="button button-danger"
            disabled={state.phase === 'stopping'}
            onClick={() => void stopRecording()}
          >
            {t('recorder.stop')}
          </button>
        ) : (
          <button
            type="button"
            className="button button-live"
            disabled={!capture.stream || !mimeType || state.phase === 'starting'}
            onClick={() => void startRecording()}
          >
            <span className="pill-dot" aria-hidden="true" />
            {t('recorder.start')}
          </button>
        )}
        {state.phase === 'paused' ? (
          <button type="button" className="button" onClick={() => void resume()}>
            {t('recorder.resume')}
          </button>
        ) : (
          <button
            type="button"
            className="button"
            disabled={state.phase !== 'recording'}
            onClick={() => void pause()}
          >
            {t('recorder.pause')}
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={!recording}
          onClick={() => void dropMarker()}
          aria-keyshortcuts="M"
        >
          {t('recorder.marker')}
        </button>
        <dl className="recorder-stats">
          <div>
            <dt>{t('recorder.elapsed')}</dt>
            <dd>
              {/* A <dd> may not carry a role: the timer is the span inside it. */}
              <span role="timer" aria-label={t('recorder.elapsedLabel')} data-testid="recorder-elapsed">
                {formatElapsed(state.elapsedMs)}
              </span>
            </dd>
          </div>
          <div>
            <dt>{t('recorder.written')}</dt>
            <dd data-testid="recorder-bytes" data-bytes={state.bytesWritten}>
              {formatBytes(state.bytesWritten)}
            </dd>
          </div>
          <div>
            <dt>{t('recorder.markers')}</dt>
            <dd data-testid="recorder-markers">{state.markers}</dd>
          </div>
        </dl>
      </div>

      <div className="recorder-settings">
        <label>
          <span>{t('recorder.camera')}</span>
          <select
            value={capture.cameraInUse ?? ''}
            disabled={recording || capture.cameras.length === 0}
            onChange={(event) => state.chooseCamera(event.target.value || null)}
          >
            {capture.cameras.map((device, index) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label || t('recorder.cameraNumbered', { number: index + 1 })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('recorder.microphone')}</span>
          <select
            value={capture.micInUse ?? ''}
            disabled={recording || capture.mics.length === 0}
            onChange={(event) => state.chooseMic(event.target.value || null)}
          >
            {capture.mics.map((device, index) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label || t('recorder.microphoneNumbered', { number: index + 1 })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('recorder.quality')}</span>
          <select
            value={state.preset}
            disabled={recording}
            onChange={(event) => state.choosePreset(event.target.value as QualityPreset)}
          >
            {(Object.keys(QUALITY_PRESETS) as QualityPreset[]).map((key) => (
              <option key={key} value={key}>
                {t(`recorder.presets.${key}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="recorder-level">
          <span aria-hidden="true">{t('recorder.level')}</span>
          <LevelMeter stream={capture.stream} />
        </div>
        <label className="recorder-auto">
          <input
            type="checkbox"
            checked={state.autoRecord}
            onChange={(event) => state.setAutoRecord(event.target.checked)}
          />
          <span>{t('recorder.autoRecord')}</span>
        </label>
      </div>

      <RecordingsList />
    </section>
  );
}

/** This live's studio while another live records: where the recording is, and the way to it. */
function RecordingElsewhere() {
  const { t } = useTranslation();
  const liveId = useRecorderStore((state) => state.recordingLiveId);
  const title = useRecorderStore((state) => state.recordingTitle);
  const openLive = useStudioStore((state) => state.openLive);
  return (
    <section className="recorder recorder-elsewhere" aria-label={t('recorder.region')}>
      <p>{t('recorder.elsewhere', { title: title ?? '' })}</p>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => liveId !== null && openLive(liveId)}
      >
        {t('recorder.goToRecording')}
      </button>
    </section>
  );
}
