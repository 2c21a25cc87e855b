import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyLanguage, initI18n } from './i18n';
import { useStudioStore } from './stores';
import './styles.css';
import { queryClient, TRPCProvider, trpcClient } from './trpc';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The persisted preference is read synchronously, so the first paint is already in the user's language.
initI18n(useStudioStore.getState().language);
useStudioStore.subscribe((state, previous) => {
  if (state.language !== previous.language) applyLanguage(state.language);
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
