/**
 * What a route needs of its caller, declared once per route in its `config`. The users-and-roles
 * issue adds the hook that enforces it; every route already says what it needs.
 */
export type Permission =
  | 'public'
  /** Read a host's resources (viewer and up, on granted hosts). */
  | 'host:read'
  /** Change a host's resources (operator and up, on granted hosts). */
  | 'host:write'
  /** Instance administration. */
  | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
  }
}
