/**
 * The Studio screen exactly as the app renders it (same components, styles, i18n, merge and cap logic), fed
 * by the benchmark instead of the host, so that frame times measure the renderer alone.
 */
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { capMessages, mergeMessages } from '../../../../src/renderer/src/chat/merge-messages';
import { initI18n } from '../../../../src/renderer/src/i18n';
import { StudioScreen } from '../../../../src/renderer/src/screens/StudioScreen';
import '../../../../src/renderer/src/styles.css';
import type { CachedMessage, Live } from '../../../../src/shared/wire';

initI18n('fr');

const live: Live = {
  id: 1,
  title: 'Bench live',
  description: '',
  status: 'live',
  started_at: new Date().toISOString(),
  ended_at: null,
  slow_mode_seconds: 0,
  host: { id: 1, first_name: 'Mariam', last_name: 'Diallo', profile_picture: null },
};
const words = [
  'bonjour',
  'merci',
  'super',
  'live',
  'question',
  'couture',
  'tissu',
  'vraiment',
  'génial',
  'ok',
];
let serial = 0;
function makeMessage(): CachedMessage {
  serial++;
  const length = 3 + (serial % 17);
  const content = Array.from({ length }, (_, i) => words[(serial + i) % words.length]).join(' ');
  return {
    client_id: `00000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`,
    live_id: 1,
    server_id: serial,
    content,
    created_at: new Date(Date.UTC(2026, 0, 1) + serial * 50).toISOString(),
    author: {
      id: 2 + (serial % 40),
      first_name: `Prénom${serial % 40}`,
      last_name: 'Nom',
      profile_picture: null,
    },
    status: 'sent',
    reason: null,
    hidden: false,
    deleted: false,
    held: false,
    version: serial,
  };
}

declare global {
  interface Window {
    bench: { add(count: number): void; count(): number };
  }
}

function Harness() {
  const [messages, setMessages] = useState<CachedMessage[]>([]);
  useEffect(() => {
    window.bench = {
      add: (count) =>
        setMessages(
          (current) => capMessages(mergeMessages(current, Array.from({ length: count }, makeMessage))).list,
        ),
      count: () => serial,
    };
  }, []);
  return (
    <StudioScreen
      live={live}
      messages={messages}
      selfId={1}
      preview={<div className="camera-preview" />}
      onStart={async () => {}}
      onEnd={async () => {}}
      onSend={async () => {}}
      onRetry={() => {}}
      onDiscard={() => {}}
    />
  );
}

createRoot(document.getElementById('root')!).render(<Harness />);
