import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN_LENGTH } from '../../../shared/limits';
import type { LoginInput, RegisterInput } from '../../../shared/wire';

type Props = {
  /** The server's address, or null for the one on this computer. */
  serverUrl: string | null;
  onLogin(input: LoginInput): Promise<unknown>;
  onRegister(input: RegisterInput): Promise<unknown>;
  onChangeServer(): void;
};

/** Sign in, or create an account on the chosen server. */
export function SignInScreen({ serverUrl, onLogin, onRegister, onChangeServer }: Props) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const passwordId = useId();
  const passwordHintId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (creating) await onRegister({ email, password, first_name: firstName, last_name: lastName });
      else await onLogin({ email, password });
    } catch (cause) {
      setError(t('account.failed', { reason: cause instanceof Error ? cause.message : String(cause) }));
    } finally {
      setBusy(false);
    }
  };

  const action = creating ? t('account.createAccount') : t('account.signIn');
  return (
    <main className="welcome">
      <form className="card welcome-card" aria-labelledby={headingId} onSubmit={submit}>
        <div className="welcome-brand">
          <span className="brand-mark" aria-hidden="true">
            CC
          </span>
          <span className="welcome-brand-name">{t('app.name')}</span>
        </div>
        <h1 id={headingId}>{creating ? t('account.createTitle') : t('account.signInTitle')}</h1>
        <p className="muted server-line">
          {t('account.server', { server: serverUrl ?? t('account.embeddedServer') })}{' '}
          <button type="button" className="link-button" onClick={onChangeServer}>
            {t('account.changeServer')}
          </button>
        </p>
        {creating && (
          <div className="field-row">
            <label className="field">
              <span className="field-label">{t('account.firstName')}</span>
              <input
                value={firstName}
                onChange={(event) => setFirstName(event.target.value)}
                autoComplete="given-name"
                required
              />
            </label>
            <label className="field">
              <span className="field-label">{t('account.lastName')}</span>
              <input
                value={lastName}
                onChange={(event) => setLastName(event.target.value)}
                autoComplete="family-name"
                required
              />
            </label>
          </div>
        )}
        <label className="field">
          <span className="field-label">{t('account.email')}</span>
          <input
            type="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            autoComplete="email"
            required
          />
        </label>
        {/* The hint sits beside the label, not in it: the field's name stays exactly "Mot de passe" and the
            hint is its description (issue 17). */}
        <div className="field">
          <label htmlFor={passwordId} className="field-label">
            {t('account.password')}
          </label>
          <input
            id={passwordId}
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete={creating ? 'new-password' : 'current-password'}
            minLength={creating ? PASSWORD_MIN_LENGTH : undefined}
            aria-describedby={creating ? passwordHintId : undefined}
            required
          />
          {creating && (
            <span id={passwordHintId} className="field-hint">
              {t('account.passwordHint')}
            </span>
          )}
        </div>
        <p className="form-error" role="alert">
          {error}
        </p>
        <div className="form-actions form-actions-stacked">
          <button type="submit" className="button button-primary button-wide" disabled={busy}>
            {action}
          </button>
          <p className="muted switch-line">
            {creating ? t('account.haveAccount') : t('account.noAccount')}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setCreating(!creating);
                setError(null);
              }}
            >
              {creating ? t('account.signIn') : t('account.createAccount')}
            </button>
          </p>
        </div>
      </form>
    </main>
  );
}
