import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH } from '../../../shared/limits';

/** "Démarrer le live" starts the new live at once; "Programmer" only creates it, for later. */
export type LiveFormAction = 'start' | 'schedule';

type Props = {
  onSubmit(input: { title: string; description: string }, action: LiveFormAction): Promise<unknown>;
  onCancel(): void;
};

/**
 * "Lancer un live": the new-live form (title, description). Its main action (and Enter) is "Démarrer le live",
 * the host's next step in CommuniConnect's own instructions; "Programmer" is for a live that starts later.
 */
export function LiveForm({ onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();

  const submit = async (action: LiveFormAction) => {
    if (!title.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ title: title.trim(), description: description.trim() }, action);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card live-form"
      aria-labelledby={headingId}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void submit('start');
      }}
    >
      <h2 id={headingId}>{t('lives.formTitle')}</h2>
      <label className="field">
        <span className="field-label">{t('lives.titleField')}</span>
        <input
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          maxLength={TITLE_MAX_LENGTH}
          required
          // biome-ignore lint/a11y/noAutofocus: the form was just opened by the user to type a title.
          autoFocus
        />
      </label>
      <label className="field">
        <span className="field-label">{t('lives.description')}</span>
        <textarea
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          maxLength={DESCRIPTION_MAX_LENGTH}
          rows={3}
        />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button button-ghost" onClick={onCancel}>
          {t('lives.cancel')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy || !title.trim()}
          onClick={() => void submit('schedule')}
        >
          {t('lives.schedule')}
        </button>
        <button type="submit" className="button button-primary" disabled={busy || !title.trim()}>
          {t('lives.startNow')}
        </button>
      </div>
    </form>
  );
}
