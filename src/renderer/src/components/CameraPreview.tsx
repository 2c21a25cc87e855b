import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A plain camera preview, used in the Studio only until the recorder panel (src/renderer/src/recording)
 * takes its place with device pickers, meter and recording.
 */
export function CameraPreview() {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    navigator.mediaDevices
      ?.getUserMedia({ video: true, audio: false })
      .then((media) => {
        if (cancelled) {
          for (const track of media.getTracks()) track.stop();
          return;
        }
        stream = media;
        if (videoRef.current) videoRef.current.srcObject = media;
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  return (
    <div className="camera-preview">
      {failed ? (
        <p>{t('studio.previewUnavailable')}</p>
      ) : (
        <video ref={videoRef} autoPlay muted playsInline aria-label={t('studio.preview')} />
      )}
    </div>
  );
}
