/** Errors the background answers pages with, and the one shape every failure takes. */
import { AtlassianError } from '../atlassian/errors';
import type { ErrorResponse } from '../messages';
import type { GrantedSite } from '../model';

/** Thrown for bad input from a page: shown to the admin as is. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly grantedSites?: GrantedSite[],
  ) {
    super(message);
  }
}

/** Turns any thrown value into the `{ error }` answer pages show. Never includes a stack. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof UserError) return error.grantedSites ? { error: error.message, grantedSites: error.grantedSites } : { error: error.message };
  if (error instanceof AtlassianError) return { error: error.message };
  if (error instanceof Error) return { error: error.message };
  return { error: String(error) };
}
