import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../password-policy.js';
import { usernameSchema } from './accounts.js';
import { isoTimestamp, patientSchema, roleSchema, userSchema, uuid } from './entities.js';

/**
 * Invitations (an administrator invites someone to register with a given role), connect codes
 * (a patient and a doctor link their accounts) and care teams (which doctor sees which patient):
 * issue 15's accounts item and the doctor/patient seed.
 */

/** How long an invitation stays usable: one hour to 30 days (three days unless chosen). */
export const INVITATION_HOURS = { min: 1, max: 24 * 30, default: 72 } as const;
/** How long a connect code stays usable: 5 minutes to 7 days (one hour unless chosen). */
export const CONNECT_CODE_MINUTES = { min: 5, max: 7 * 24 * 60, default: 60 } as const;

export const invitationCreateInputSchema = z
  .object({
    // A workstation's service account (docs/hub-sync.md) is created by an administrator.
    role: roleSchema.refine(
      (role) => role !== 'workstation',
      'A workstation account is not invited: an administrator creates it (Accounts → New account).',
    ),
    expiresInHours: z
      .number()
      .int()
      .min(INVITATION_HOURS.min)
      .max(INVITATION_HOURS.max)
      .default(INVITATION_HOURS.default),
    /** Required for a patient invitation: the patient record the new account will see. */
    patientId: uuid.nullable().optional(),
    /** Whom it is for, for the administrator's list (not shown to the invitee). */
    note: z.string().trim().max(200).default(''),
  })
  .strict();

export const invitationStatusSchema = z.enum(['pending', 'used', 'expired', 'revoked']);
export type InvitationStatus = z.infer<typeof invitationStatusSchema>;

export const invitationSchema = z.object({
  id: uuid,
  role: roleSchema,
  patientId: uuid.nullable(),
  note: z.string(),
  status: invitationStatusSchema,
  createdBy: z.string().nullable(),
  createdAt: isoTimestamp,
  expiresAt: isoTimestamp,
  usedAt: isoTimestamp.nullable(),
  /** The username registered with it. */
  usedBy: z.string().nullable(),
});
export type Invitation = z.infer<typeof invitationSchema>;

/** The secrets of a new invitation, shown once (only their hashes are stored). */
export const issuedInvitationSchema = z.object({
  invitation: invitationSchema,
  /** A long token for a link or a program. */
  token: z.string(),
  /** A short code to read out or type (XXXXX-XXXXX). */
  code: z.string(),
});
export type IssuedInvitation = z.infer<typeof issuedInvitationSchema>;

export const registerInputSchema = z
  .object({
    /** The invitation's token or its short code. */
    invitation: z.string().trim().min(1, 'Enter the invitation code').max(200),
    username: usernameSchema,
    password: z.string().min(1, 'Enter a password').max(PASSWORD_MAX_LENGTH),
    displayName: z.string().max(200).optional(),
  })
  .strict();

export const connectCodeInputSchema = z
  .object({
    expiresInMinutes: z
      .number()
      .int()
      .min(CONNECT_CODE_MINUTES.min)
      .max(CONNECT_CODE_MINUTES.max)
      .default(CONNECT_CODE_MINUTES.default),
  })
  .strict();

export const connectCodeSchema = z.object({
  /** Shown once; only its hash is stored. */
  code: z.string(),
  expiresAt: isoTimestamp,
  /** Whom the code connects to: the patient record or the doctor account that made it. */
  stands: z.enum(['patient', 'doctor']),
  /** The doctor account, for a code a doctor made (the seed's `doctor_id`). */
  doctorId: uuid.nullable(),
});
export type ConnectCode = z.infer<typeof connectCodeSchema>;

export const connectUseInputSchema = z
  .object({ code: z.string().trim().min(1, 'Enter the connect code').max(200) })
  .strict();

/** A doctor as a patient sees them: no more than a name. */
export const careDoctorSchema = z.object({
  id: uuid,
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
});

export const careLinkSchema = z.object({
  doctor: careDoctorSchema,
  patientId: uuid,
  patientName: z.string(),
  via: z.enum(['admin', 'code']),
  assignedAt: isoTimestamp,
});
export type CareLink = z.infer<typeof careLinkSchema>;

export const careAssignInputSchema = z.object({ doctorId: uuid, patientId: uuid }).strict();

export const myPatientsSchema = z.array(patientSchema);
export const registeredUserSchema = userSchema;
