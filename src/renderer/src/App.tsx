import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Author } from '../../shared/wire';
import { useAccountActions, useCurrentAccount } from './api/account';
import { useChooseServer, useConnectionStatus } from './api/connection';
import { useLiveActions, useLives } from './api/lives';
import { ConnectionBadge } from './components/ConnectionBadge';
import { LanguageSwitch } from './components/LanguageSwitch';
import { ShortcutsHelp } from './components/ShortcutsHelp';
import { TopBar } from './components/TopBar';
import { useShortcuts } from './hooks/useShortcuts';
import { useRecorderStore } from './recording/recorder-store';
import { FirstRunScreen } from './screens/FirstRunScreen';
import { LibraryScreen } from './screens/LibraryScreen';
import { LivesScreen } from './screens/LivesScreen';
import { ModerationScreen } from './screens/ModerationScreen';
import { PlaceholderScreen } from './screens/PlaceholderScreen';
import { ReplayScreen } from './screens/ReplayScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { SignInScreen } from './screens/SignInScreen';
import { StudioContainer } from './screens/StudioContainer';
import { useStudioStore } from './stores';
import { useTRPC } from './trpc';

/**
 * The gate: choose a server (first run) → sign in → the studio. Each step is decided by the host's state
 * (connection.status, account.current), so a restart lands where the user left off.
 */
export function App() {
  const { t } = useTranslation();
  const status = useConnectionStatus();
  const account = useCurrentAccount();
  const choose = useChooseServer();
  const { login, register } = useAccountActions();
  const [changingServer, setChangingServer] = useState(false);

  if (status.isPending || (status.data?.mode && account.isPending)) {
    return (
      <div className="splash" data-testid="splash">
        {status.error ? t('app.hostUnreachable') : t('app.loading')}
      </div>
    );
  }
  if (!status.data?.mode || changingServer) {
    return (
      <>
        <header className="welcome-tools">
          <LanguageSwitch />
        </header>
        <FirstRunScreen
          initialUrl={status.data?.server_url ?? ''}
          onChoose={async (choice) => {
            await choose.mutateAsync(choice);
            setChangingServer(false);
          }}
        />
      </>
    );
  }
  if (!account.data) {
    return (
      <>
        <header className="welcome-tools">
          <LanguageSwitch />
        </header>
        <SignInScreen
          serverUrl={status.data.mode === 'remote' ? status.data.server_url : null}
          onLogin={(input) => login.mutateAsync(input)}
          onRegister={(input) => register.mutateAsync(input)}
          onChangeServer={() => setChangingServer(true)}
        />
      </>
    );
  }
  return <SignedIn user={account.data} onChangeServer={() => setChangingServer(true)} />;
}

type User = Author & { email: string };

function SignedIn({ user, onChangeServer }: { user: User; onChangeServer(): void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const status = useConnectionStatus();
  const { logout } = useAccountActions();
  const screen = useStudioStore((state) => state.screen);
  const liveId = useStudioStore((state) => state.liveId);
  const openLive = useStudioStore((state) => state.openLive);
  const recorderBusy = useRecorderStore((state) => state.phase !== 'idle');
  const lives = useLives();
  const liveActions = useLiveActions();
  const info = useQuery(trpc.system.info.queryOptions());
  useShortcuts(true);
  const signOut = () => {
    logout.mutate();
    useStudioStore.getState().go('lives');
  };

  let content: React.ReactNode;
  switch (screen) {
    case 'lives':
      content = (
        <LivesScreen
          lives={lives.data}
          onOpen={openLive}
          onCreate={async (input, action) => {
            const live = await liveActions.create.mutateAsync(input);
            if (action === 'start') {
              // The recorder is armed before the studio opens, so that it starts with the live (setting allowing).
              useRecorderStore.getState().armAutoRecord(live.id);
              try {
                await liveActions.start.mutateAsync({ liveId: live.id });
              } catch (error) {
                // The live exists but did not start: its studio says so and offers "Démarrer le live" again.
                useRecorderStore.getState().armAutoRecord(null);
                console.warn('The new live could not start', error);
              }
            }
            openLive(live.id);
          }}
        />
      );
      break;
    case 'studio':
      // The studio itself is rendered in its own slot below.
      content =
        liveId === null ? <PlaceholderScreen title={t('nav.studio')} message={t('nav.noLive')} /> : null;
      break;
    case 'settings':
      content = (
        <SettingsScreen
          user={user}
          status={status.data}
          version={info.data?.version}
          onChangeServer={onChangeServer}
          onSignOut={signOut}
        />
      );
      break;
    case 'moderation':
      content = <ModerationScreen />;
      break;
    case 'library':
      content = <LibraryScreen />;
      break;
    case 'replay':
      content = <ReplayScreen />;
      break;
    default:
      // Every screen has its case above; an unknown one (a stale persisted value) shows nothing.
      content = null;
  }

  return (
    <div className="shell">
      <TopBar badge={<ConnectionBadge status={status.data} />} user={user} onSignOut={signOut} />
      <main className="content" data-screen={screen}>
        {content}
        {liveId !== null && (screen === 'studio' || recorderBusy) && (
          // A recording outlives a visit to another screen (the host moderates during the live): the studio
          // stays mounted, hidden, while its recorder is busy, always in this same place so React keeps it.
          <div className="studio-slot" hidden={screen !== 'studio'}>
            <StudioContainer key={liveId} liveId={liveId} selfId={user.id} />
          </div>
        )}
      </main>
      <ShortcutsHelp />
    </div>
  );
}
