import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../trpc';

/** Settings › recording uploads: automatic upload on or off, and a bandwidth cap so the live keeps its share. */
export function UploadSettingsSection() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.recording.uploadSettings.queryOptions());
  const [auto, setAuto] = useState(true);
  const [cap, setCap] = useState('');
  useEffect(() => {
    if (!current.data) return;
    setAuto(current.data.auto);
    setCap(current.data.maxKilobytesPerSecond === null ? '' : String(current.data.maxKilobytesPerSecond));
  }, [current.data]);
  const save = useMutation(
    trpc.recording.setUploadSettings.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.recording.uploadSettings.queryKey() }),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const kilobytes = cap.trim() === '' ? null : Number(cap);
    save.mutate({ auto, maxKilobytesPerSecond: kilobytes });
  };

  return (
    <section className="card settings-section" aria-labelledby="settings-uploads">
      <h2 id="settings-uploads">{t('uploadSettings.title')}</h2>
      <form className="settings-form" onSubmit={submit}>
        <label className="checkbox-row">
          <input type="checkbox" checked={auto} onChange={(event) => setAuto(event.target.checked)} />
          {t('uploadSettings.auto')}
        </label>
        <label className="field">
          <span className="field-label">{t('uploadSettings.cap')}</span>
          <input
            type="number"
            inputMode="numeric"
            min={16}
            step={1}
            value={cap}
            onChange={(event) => setCap(event.target.value)}
          />
        </label>
        <button type="submit" className="button button-secondary" disabled={save.isPending}>
          {t('uploadSettings.save')}
        </button>
        {save.isSuccess && <p role="status">{t('uploadSettings.saved')}</p>}
        {save.error && <p role="alert">{save.error.message}</p>}
      </form>
    </section>
  );
}
