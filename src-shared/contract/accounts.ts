import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../password-policy.js';
import { roleSchema, uuid } from './entities.js';

/**
 * Account management inputs. The password policy (length, not the username, not a common
 * password) is checked by the core, which knows the username; the schema only bounds the size.
 */
const newPassword = z.string().min(1, 'Enter a password').max(PASSWORD_MAX_LENGTH);

export const usernameSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, 'Use letters, digits, dot, underscore or dash');

export const userCreateInputSchema = z
  .object({
    username: usernameSchema,
    password: newPassword,
    role: roleSchema,
    displayName: z.string().max(200).optional(),
    /** Required for a patient account: the patient record it may see. */
    patientId: uuid.nullable().optional(),
  })
  .strict();

export const userUpdateInputSchema = z
  .object({
    id: uuid,
    role: roleSchema.optional(),
    displayName: z.string().max(200).optional(),
    password: newPassword.optional(),
    disabled: z.boolean().optional(),
    patientId: uuid.nullable().optional(),
    /** Clears failed logins and a lockout. */
    unlock: z.literal(true).optional(),
  })
  .strict();

export const changePasswordInputSchema = z
  .object({
    currentPassword: z.string().max(PASSWORD_MAX_LENGTH),
    newPassword,
  })
  .strict();

/** Serve mode's import allow-list: absolute folder paths on the server. */
export const importRootsSchema = z.object({
  roots: z.array(z.string().min(1).max(4096)).max(100),
});
