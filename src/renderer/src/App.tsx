import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './trpc';

export function App() {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions());
  return (
    <main className="app">
      <h1>CommuniConnect Studio</h1>
      <p data-testid="host-status">
        {info.data
          ? `Hôte ${info.data.version} · ${info.data.transport}`
          : info.error
            ? 'Hôte injoignable'
            : '…'}
      </p>
    </main>
  );
}
