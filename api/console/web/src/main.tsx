/** The console: sign-in, then the pages under a left navigation. Served by the API at /console. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Layout } from './components/layout';
import { SessionProvider, useSession } from './session';
import { SignIn } from './pages/sign-in';
import { Home } from './pages/home';
import { Applications } from './pages/applications';
import { ApplicationPage } from './pages/application';
import { ImportOpenApi } from './pages/import-openapi';
import { Channels } from './pages/channels';
import { ChannelPage } from './pages/channel';
import { ChannelForm } from './pages/channel-form';
import { Runs } from './pages/runs';
import { TryAction } from './pages/try-action';

// Every list refreshes by itself (see live.ts); a failed read is shown, not retried in a loop.
const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });

function Pages() {
  const { me, checking } = useSession();
  if (checking) return <p className="centered">Checking your key…</p>;
  if (!me) return <SignIn />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="applications" element={<Applications />} />
        <Route path="applications/import" element={<ImportOpenApi />} />
        <Route path="applications/:name" element={<ApplicationPage />} />
        <Route path="channels" element={<Channels />} />
        <Route path="channels/new" element={<ChannelForm />} />
        <Route path="channels/:id" element={<ChannelPage />} />
        <Route path="channels/:id/edit" element={<ChannelForm />} />
        <Route path="runs" element={<Runs />} />
        <Route path="try" element={<TryAction />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <SessionProvider>
        <BrowserRouter basename="/console">
          <Pages />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
