import { ErrorBody } from '../errors.js';
import {
  FleetContainerList,
  FleetContainersQuery,
  FleetFilter,
  FleetImageList,
  FleetImagesQuery,
  FleetSearchQuery,
  FleetSearchResult,
  FleetSummary,
  FleetVolumeList,
  FleetVolumesQuery,
} from '../fleet.js';
import { httpRoute } from '../route.js';

/**
 * Across every host the caller may see. `authenticated`: each answer holds only the caller's
 * granted hosts (by id or label); a host the caller may not see is never named.
 */
export const fleetRoutes = {
  summary: httpRoute({
    method: 'GET',
    path: '/api/fleet',
    tags: ['fleet'],
    summary: 'Every visible host at once: state, containers by state, capacity, updates',
    description:
      "Served from each host's live state: an unreachable host is marked stale, never waited for.",
    permission: 'authenticated',
    query: FleetFilter,
    responses: { 200: FleetSummary, 400: ErrorBody },
  }),
  containers: httpRoute({
    method: 'GET',
    path: '/api/fleet/containers',
    tags: ['fleet'],
    summary: 'Containers of every visible host, with a host column',
    permission: 'authenticated',
    query: FleetContainersQuery,
    responses: { 200: FleetContainerList, 400: ErrorBody },
  }),
  images: httpRoute({
    method: 'GET',
    path: '/api/fleet/images',
    tags: ['fleet'],
    summary: 'Images of every visible host, with a host column',
    permission: 'authenticated',
    query: FleetImagesQuery,
    responses: { 200: FleetImageList, 400: ErrorBody },
  }),
  volumes: httpRoute({
    method: 'GET',
    path: '/api/fleet/volumes',
    tags: ['fleet'],
    summary: 'Volumes of every visible host, with a host column',
    permission: 'authenticated',
    query: FleetVolumesQuery,
    responses: { 200: FleetVolumeList, 400: ErrorBody },
  }),
  search: httpRoute({
    method: 'GET',
    path: '/api/fleet/search',
    tags: ['fleet'],
    summary: 'Find containers, images, volumes, networks and stacks on any visible host',
    description:
      'What the Ctrl/Cmd-K palette asks: best matches first (exact name, prefix, then substring).',
    permission: 'authenticated',
    query: FleetSearchQuery,
    responses: { 200: FleetSearchResult, 400: ErrorBody },
  }),
};
