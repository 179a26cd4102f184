import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from '../api/client.js';
import { useMe, useSetupStatus } from '../api/queries.js';
import { LoginPage } from '../features/auth/LoginPage.js';
import { DashboardPage } from '../features/dashboard/DashboardPage.js';
import { SetupPage } from '../features/setup/SetupPage.js';
import { HostScope, OnCurrentHost } from './HostScope.js';
import { Layout } from './Layout.js';
import { lazyPage } from './lazy-page.js';

const ContainersPage = lazyPage(() => import('../features/containers/ContainersPage.js'));
const ContainerPage = lazyPage(() => import('../features/containers/ContainerPage.js'));
const CreateContainerPage = lazyPage(() => import('../features/containers/CreateContainerPage.js'));
const EditContainerPage = lazyPage(() => import('../features/containers/EditContainerPage.js'));
const ImagesPage = lazyPage(() => import('../features/images/ImagesPage.js'));
const NetworksPage = lazyPage(() => import('../features/networks/NetworksPage.js'));
const ServicesPage = lazyPage(() => import('../features/services/ServicesPage.js'));
const ServicePage = lazyPage(() => import('../features/services/ServicePage.js'));
const SecretsPage = lazyPage(() => import('../features/services/SecretsPage.js'));
const VisualizerPage = lazyPage(() => import('../features/services/VisualizerPage.js'));
const VolumesPage = lazyPage(() => import('../features/volumes/VolumesPage.js'));
const StacksPage = lazyPage(() => import('../features/stacks/StacksPage.js'));
const NewStackPage = lazyPage(() => import('../features/stacks/NewStackPage.js'));
const StackPage = lazyPage(() => import('../features/stacks/StackPage.js'));
const SystemPage = lazyPage(() => import('../features/system/SystemPage.js'));
const AdminPage = lazyPage(() => import('../features/admin/AdminPage.js'));
const HostsPage = lazyPage(() => import('../features/hosts/HostsPage.js'));
const FleetPage = lazyPage(() => import('../features/fleet/FleetPage.js'));
const AlertsPage = lazyPage(() => import('../features/alerts/AlertsPage.js'));
const ProxyPage = lazyPage(() => import('../features/proxy/ProxyPage.js'));
const ChannelsPage = lazyPage(() => import('../features/notifications/ChannelsPage.js'));
const SwarmPage = lazyPage(() => import('../features/swarm/SwarmPage.js'));
const SwarmStacksPage = lazyPage(() => import('../features/swarm-stacks/SwarmStacksPage.js'));
const SwarmStackPage = lazyPage(() => import('../features/swarm-stacks/SwarmStackPage.js'));

/** The sections of a host's pages, whose addresses before hosts were in URLs still work. */
const HOST_SECTIONS = [
  'containers',
  'stacks',
  'images',
  'networks',
  'volumes',
  'system',
  'services',
  'secrets',
  'visualizer',
];
// Issue 18's sections join here, one line each (merges stay small).
HOST_SECTIONS.push('swarm', 'swarm-stacks');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError) && count < 3,
    },
  },
});

/** Sends first-run visitors to setup and strangers to login; everyone else through. */
function Gate({ children }: { children: ReactNode }) {
  const setup = useSetupStatus();
  // Before setup there is no one to be: asking would only earn a 403.
  const me = useMe(setup.data?.required === false);
  if (setup.isPending) return <p className="loading">Loading…</p>;
  if (setup.data?.required) return <Navigate to="/setup" replace />;
  if (me.isPending) return <p className="loading">Loading…</p>;
  if (me.isError) return <Navigate to="/login" replace />;
  return children;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Routes>
            <Route path="/setup" element={<SetupPage />} />
            <Route path="/login" element={<LoginPage />} />
            <Route
              element={
                <Gate>
                  <Layout />
                </Gate>
              }
            >
              <Route index element={<DashboardPage />} />
              <Route path="hosts" element={<HostsPage />} />
              <Route path="hosts/:host" element={<HostScope />}>
                <Route index element={<Navigate to="containers" replace />} />
                <Route path="containers" element={<ContainersPage />} />
                <Route path="containers/new" element={<CreateContainerPage />} />
                <Route path="containers/:id" element={<ContainerPage />} />
                <Route path="containers/:id/edit" element={<EditContainerPage />} />
                <Route path="stacks" element={<StacksPage />} />
                <Route path="stacks/new" element={<NewStackPage />} />
                <Route path="stacks/:name" element={<StackPage />} />
                <Route path="images" element={<ImagesPage />} />
                <Route path="networks" element={<NetworksPage />} />
                <Route path="volumes" element={<VolumesPage />} />
                <Route path="system" element={<SystemPage />} />
                <Route path="swarm" element={<SwarmPage />} />
                <Route path="swarm-stacks" element={<SwarmStacksPage />} />
                <Route path="swarm-stacks/:name" element={<SwarmStackPage />} />
                <Route path="services" element={<ServicesPage />} />
                <Route path="services/:id" element={<ServicePage />} />
                <Route path="secrets" element={<SecretsPage />} />
                <Route path="visualizer" element={<VisualizerPage />} />
                <Route path="*" element={<Navigate to="containers" replace />} />
              </Route>
              {HOST_SECTIONS.map((section) => (
                <Route key={section} path={`${section}/*`} element={<OnCurrentHost />} />
              ))}
              <Route path="admin" element={<AdminPage />} />
              <Route path="admin/notifications" element={<ChannelsPage />} />
              <Route path="alerts" element={<AlertsPage />} />
              <Route path="proxy" element={<ProxyPage />} />
              <Route path="fleet" element={<Navigate to="/fleet/containers" replace />} />
              <Route path="fleet/containers" element={<FleetPage kind="containers" />} />
              <Route path="fleet/images" element={<FleetPage kind="images" />} />
              <Route path="fleet/volumes" element={<FleetPage kind="volumes" />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Route>
          </Routes>
        </Suspense>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
