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
  // The live whose recording runs, if any: its studio stays mounted (hidden) whatever the screen or live in view.
  const recordingLiveId = useRecorderStore((state) =>
    state.phase !== 'idle' ? state.recordingLiveId : null,
  );
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
              // The recorder is armed before the studio opens, so that it starts with the live (setting allowing);
              // not while another live records: that recording goes on, and one recording at a time.
              if (useRecorderStore.getState().phase === 'idle')
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
        {studioSlots(liveId, screen === 'studio', recordingLiveId).map((slot) => (
          // A recording belongs to the app, not to a screen: the recording live's studio stays mounted, hidden,
          // while the host visits another screen or opens (or creates) another live. Keyed by live, in one list
          // whose order never changes while a recording runs, so that React keeps that studio and its recorder.
          <div key={slot.liveId} className="studio-slot" hidden={!slot.visible}>
            <StudioContainer liveId={slot.liveId} selfId={user.id} />
          </div>
        ))}
      </main>
      <ShortcutsHelp />
    </div>
  );
}

/**
 * The studios to keep mounted: the recording live's first (so that its place in the list never moves), then the
 * live in view, if the studio screen shows it. One entry when they are the same live.
 */
export function studioSlots(
  liveId: number | null,
  studioInView: boolean,
  recordingLiveId: number | null,
): { liveId: number; visible: boolean }[] {
  const slots: { liveId: number; visible: boolean }[] = [];
  if (recordingLiveId !== null)
    slots.push({ liveId: recordingLiveId, visible: studioInView && liveId === recordingLiveId });
  if (liveId !== null && liveId !== recordingLiveId && studioInView) slots.push({ liveId, visible: true });
  return slots;
}
