import { AppError } from '../../core/errors.js';

/** Enforces the configured minimum length; the 400 names the field, as every bad input does. */
export function assertPasswordPolicy(password: string, minLength: number, field: string): void {
  if ([...password].length < minLength) {
    const message = `must be at least ${minLength} characters`;
    throw AppError.badRequest('validation_failed', `Invalid request: ${field}: ${message}`, {
      issues: [{ field, message }],
    });
  }
}
