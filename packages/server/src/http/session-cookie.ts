import type { FastifyReply } from 'fastify';

export const SESSION_COOKIE = 'berth_session';

export function setSessionCookie(
  reply: FastifyReply,
  secret: string,
  secure: boolean,
  maxAgeMs: number,
): void {
  reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    secure,
    sameSite: 'strict',
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, secure, sameSite: 'strict', path: '/' });
}

export const DEVICE_COOKIE = 'berth_device';

/** The known-device cookie: long-lived, sent only to the login routes. */
export function setDeviceCookie(
  reply: FastifyReply,
  value: string,
  secure: boolean,
  maxAgeMs: number,
): void {
  reply.setCookie(DEVICE_COOKIE, value, {
    httpOnly: true,
    secure,
    sameSite: 'strict',
    path: '/api/auth',
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}
