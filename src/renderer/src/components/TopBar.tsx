import type { ReactNode } from 'react';
import type { Author } from '../../../shared/wire';
import { displayName } from '../chat/initials';
import { useTranslation } from 'react-i18next';
import type { Screen } from '../stores/navigation';
import { RecordingIndicator } from '../recording/RecordingIndicator';
import { useStudioStore } from '../stores';
import { Avatar } from './Avatar';

const NAV: Screen[] = ['lives', 'studio', 'moderation', 'library', 'replay', 'settings'];

type Props = { badge: ReactNode; user: Author; onSignOut(): void };

/** The window's bar: brand, the screens (with slots for moderation/library/replay), status and account. */
export function TopBar({ badge, user, onSignOut }: Props) {
  const { t } = useTranslation();
  const screen = useStudioStore((state) => state.screen);
  const go = useStudioStore((state) => state.go);
  const setShortcutsOpen = useStudioStore((state) => state.setShortcutsOpen);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark brand-mark-small" aria-hidden="true">
          CC
        </span>
        <span className="brand-name">{t('app.name')}</span>
      </div>
      <nav className="nav" aria-label={t('nav.label')}>
        {NAV.map((target) => (
          <button
            key={target}
            type="button"
            className="nav-item"
            aria-current={screen === target ? 'page' : undefined}
            onClick={() => go(target)}
          >
            {t(`nav.${target}`)}
          </button>
        ))}
      </nav>
      <div className="topbar-tools">
        <RecordingIndicator />
        {badge}
        <button
          type="button"
          className="icon-button"
          aria-label={t('nav.shortcuts')}
          title={t('nav.shortcuts')}
          onClick={() => setShortcutsOpen(true)}
        >
          <span aria-hidden="true">?</span>
        </button>
        <span className="user" title={displayName(user)}>
          <Avatar author={user} size={28} />
          <span className="user-name">{displayName(user)}</span>
        </span>
        <button type="button" className="button button-ghost button-small" onClick={onSignOut}>
          {t('nav.signOut')}
        </button>
      </div>
    </header>
  );
}
