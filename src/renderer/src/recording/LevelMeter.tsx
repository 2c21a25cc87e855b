import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The microphone's level, from an AnalyserNode on the capture stream. It redraws itself every animation frame
 * without going through React state, so a 60 Hz meter costs no re-render of the panel.
 */
export function LevelMeter({ stream }: { stream: MediaStream | null }) {
  const { t } = useTranslation();
  const meterRef = useRef<HTMLMeterElement>(null);

  useEffect(() => {
    const meter = meterRef.current;
    if (!stream || !meter || stream.getAudioTracks().length === 0) return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    const source = context.createMediaStreamSource(stream);
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    const draw = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const rms = Math.sqrt(sum / samples.length);
      // dBFS mapped to 0–1 over −60…0 dB, which is how level meters read.
      const level = Math.max(0, Math.min(1, (20 * Math.log10(rms || 1e-6) + 60) / 60));
      meter.value = level;
      meter.dataset.level = level.toFixed(2);
      frame = requestAnimationFrame(draw);
    };
    // Chromium starts an AudioContext suspended until a user gesture; the meter starts with the first one.
    void context.resume();
    draw();
    return () => {
      cancelAnimationFrame(frame);
      source.disconnect();
      void context.close();
    };
  }, [stream]);

  return (
    <meter
      ref={meterRef}
      className="recorder-meter"
      min={0}
      max={1}
      low={0.6}
      high={0.9}
      optimum={0.5}
      value={0}
      aria-label={t('recorder.levelLabel')}
    />
  );
}
