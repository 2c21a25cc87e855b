import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

export type ServerChoice = { mode: 'embedded' } | { mode: 'remote'; url: string };

type Props = { onChoose(choice: ServerChoice): Promise<unknown>; initialUrl?: string };

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** First run: where the chat server is — on this computer (default) or a CommuniConnect server. */
export function FirstRunScreen({ onChoose, initialUrl = '' }: Props) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'embedded' | 'remote'>('embedded');
  const [url, setUrl] = useState(initialUrl);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const urlHintId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = url.trim();
    if (mode === 'remote' && !isHttpUrl(trimmed)) {
      setError(t('firstRun.serverUrlInvalid'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onChoose(mode === 'embedded' ? { mode } : { mode, url: trimmed });
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="welcome">
      <form className="card welcome-card" aria-labelledby={headingId} onSubmit={submit} noValidate>
        <div className="welcome-brand">
          <span className="brand-mark" aria-hidden="true">
            CC
          </span>
          <span className="welcome-brand-name">{t('app.name')}</span>
        </div>
        <h1 id={headingId}>{t('firstRun.title')}</h1>
        <fieldset className="choice-group">
          <legend>{t('firstRun.lead')}</legend>
          <label className={`choice${mode === 'embedded' ? ' choice-selected' : ''}`}>
            <input
              type="radio"
              name="server-mode"
              value="embedded"
              checked={mode === 'embedded'}
              onChange={() => setMode('embedded')}
            />
            <span className="choice-text">
              <span className="choice-title">{t('firstRun.embedded')}</span>
              <span className="choice-hint">{t('firstRun.embeddedHint')}</span>
            </span>
          </label>
          <label className={`choice${mode === 'remote' ? ' choice-selected' : ''}`}>
            <input
              type="radio"
              name="server-mode"
              value="remote"
              checked={mode === 'remote'}
              onChange={() => setMode('remote')}
            />
            <span className="choice-text">
              <span className="choice-title">{t('firstRun.remote')}</span>
              <span className="choice-hint">{t('firstRun.remoteHint')}</span>
            </span>
          </label>
        </fieldset>
        {mode === 'remote' && (
          <label className="field">
            <span className="field-label">{t('firstRun.serverUrl')}</span>
            <input
              type="url"
              inputMode="url"
              placeholder="https://chat.communiconnect.example"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
              aria-describedby={urlHintId}
              required
              // biome-ignore lint/a11y/noAutofocus: the user just picked "remote" to type this address.
              autoFocus
            />
          </label>
        )}
        <p id={urlHintId} className="form-error" role="alert">
          {error}
        </p>
        <div className="form-actions">
          <button type="submit" className="button button-primary button-wide" disabled={busy}>
            {t('firstRun.continue')}
          </button>
        </div>
      </form>
    </main>
  );
}
