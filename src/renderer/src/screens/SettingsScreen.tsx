import { useTranslation } from 'react-i18next';
import type { ConnectionStatus } from '../../../shared/wire';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { UploadSettingsSection } from '../recording/UploadSettingsSection';

type Props = {
  user: { first_name: string; last_name: string; email: string } | null;
  status: ConnectionStatus | undefined;
  version: string | undefined;
  onChangeServer(): void;
  onSignOut(): void;
};

export function SettingsScreen({ user, status, version, onChangeServer, onSignOut }: Props) {
  const { t } = useTranslation();
  return (
    <div className="screen screen-settings">
      <header className="screen-header">
        <h1>{t('settings.title')}</h1>
      </header>
      <section className="card settings-section" aria-labelledby="settings-language">
        <h2 id="settings-language">{t('language.label')}</h2>
        <LanguageSwitch />
      </section>
      <section className="card settings-section" aria-labelledby="settings-appearance">
        <h2 id="settings-appearance">{t('settings.appearance')}</h2>
        <p className="muted">{t('settings.theme')}</p>
      </section>
      <section className="card settings-section" aria-labelledby="settings-server">
        <h2 id="settings-server">{t('settings.server')}</h2>
        <p>
          {status?.mode === 'remote'
            ? `${t('firstRun.remote')} · ${status.server_url ?? ''}`
            : t('firstRun.embedded')}
        </p>
        <button type="button" className="button button-secondary" onClick={onChangeServer}>
          {t('account.changeServer')}
        </button>
      </section>
      <UploadSettingsSection />
      {user && (
        <section className="card settings-section" aria-labelledby="settings-account">
          <h2 id="settings-account">{t('settings.account')}</h2>
          <p>
            {t('settings.signedInAs', { name: `${user.first_name} ${user.last_name}`, email: user.email })}
          </p>
          <button type="button" className="button button-secondary" onClick={onSignOut}>
            {t('nav.signOut')}
          </button>
        </section>
      )}
      <section className="card settings-section" aria-labelledby="settings-about">
        <h2 id="settings-about">{t('settings.about')}</h2>
        <p className="muted">{t('settings.version', { version: version ?? '…' })}</p>
      </section>
    </div>
  );
}
