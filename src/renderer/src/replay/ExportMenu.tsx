import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { downloadFile } from '../moderation/download';
import { useFeatureText } from '../moderation/strings';
import { useTRPC } from '../trpc';

/** "Exporter": the live's chat as JSON (with moderation state) or CSV, and WebVTT timed to this recording. */
export function ExportMenu({ recordingId, liveId }: { recordingId: string | null; liveId: number | null }) {
  const trpc = useTRPC();
  const { text } = useFeatureText();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onSuccess = (file: { filename: string; mime: string; content: string }) => {
    downloadFile(file);
    setDone(file.filename);
    setOpen(false);
  };
  const onError = (e: { message: string }) => setError(e.message);
  const vtt = useMutation(trpc.exports.vtt.mutationOptions({ onSuccess, onError }));
  const chat = useMutation(trpc.exports.chat.mutationOptions({ onSuccess, onError }));
  return (
    <div className="replay-export">
      <button
        type="button"
        className="button button-small"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {text('export')}
      </button>
      {open && (
        <div className="replay-export-menu">
          {recordingId && (
            <button type="button" className="button button-small" onClick={() => vtt.mutate({ recordingId })}>
              {text('exportVtt')}
            </button>
          )}
          {liveId !== null && (
            <>
              <button
                type="button"
                className="button button-small"
                onClick={() => chat.mutate({ liveId, format: 'json' })}
              >
                {text('exportJson')}
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => chat.mutate({ liveId, format: 'csv' })}
              >
                {text('exportCsv')}
              </button>
            </>
          )}
        </div>
      )}
      {done && (
        <span className="replay-export-done" role="status">
          {text('exported', { name: done })}
        </span>
      )}
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
