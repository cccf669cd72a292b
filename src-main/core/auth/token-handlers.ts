import type { HandlerMap } from '../merge-handlers.js';
import type { HandlerCall } from '../router.js';
import type { AuthService } from './auth-service.js';
import type { RefreshTokens } from './refresh-tokens.js';

function clientOf(call: HandlerCall): string {
  return call.context.client ?? call.context.transport;
}

/** Access + refresh tokens for programs (the REST API's token routes). */
export function createTokenHandlers(deps: {
  auth: AuthService;
  refreshTokens: RefreshTokens;
}): HandlerMap<'auth.tokens' | 'auth.refresh'> {
  return {
    'auth.tokens': async (input, call) => {
      // The same login as the app's (audit, disabled accounts, timing), then a refresh token.
      const session = await deps.auth.login(input.username, input.password, clientOf(call));
      return deps.refreshTokens.issue(session, clientOf(call));
    },
    'auth.refresh': (input, call) => deps.refreshTokens.refresh(input.refreshToken, clientOf(call)),
  };
}
