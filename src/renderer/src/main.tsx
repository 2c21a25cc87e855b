import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyLanguage, initI18n, type Language } from './i18n';
import { useStudioStore } from './stores';
import './styles.css';
import { queryClient, TRPCProvider, trpcClient } from './trpc';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The persisted preference is read synchronously, so the first paint is already in the user's language.
initI18n(useStudioStore.getState().language);
// The host remembers the language too: the Electron menu follows it (rebuilt at once, and at the next launch
// before this page has loaded). Told at start as well, so that host and renderer never disagree for long.
// A host not reachable yet only means the menu keeps its language until the next switch: not worth an error.
const tellHost = (language: Language) =>
  void trpcClient.system.setLanguage.mutate({ language }).catch(() => {});
tellHost(useStudioStore.getState().language);
useStudioStore.subscribe((state, previous) => {
  if (state.language === previous.language) return;
  applyLanguage(state.language);
  tellHost(state.language);
});

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <App />
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
