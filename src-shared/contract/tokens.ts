import { z } from 'zod';
import { isoTimestamp, userSchema } from './entities.js';

/**
 * Access + refresh tokens for programs that call the REST API (the doctor/patient seed's
 * `/auth/login` and `/auth/refresh-token`). The access token is an ordinary session token (idle
 * timeout as for the app); the refresh token has an absolute lifetime and only mints new access
 * tokens.
 */
export const tokenLoginInputSchema = z
  .object({ username: z.string().max(64), password: z.string().max(1024) })
  .strict();

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('bearer'),
  /** Seconds of inactivity after which the access token ends. */
  idleTimeoutSeconds: z.number().int(),
  refreshExpiresAt: isoTimestamp,
  user: userSchema,
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const tokenRefreshInputSchema = z
  .object({ refreshToken: z.string().min(1).max(200) })
  .strict();

export const refreshedTokenSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('bearer'),
  idleTimeoutSeconds: z.number().int(),
});
export type RefreshedToken = z.infer<typeof refreshedTokenSchema>;
