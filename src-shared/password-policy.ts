/**
 * The password policy, shared so the account screens show the same reasons the core enforces.
 * It follows NIST SP 800-63B: a minimum length, no composition rules, and a refusal of passwords
 * that are known, guessable from the account, or trivially patterned.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * A small list of the most used passwords and of words a clinic's staff would try first. Kept
 * short on purpose (it ships in the app); the length rule already rules out most of a large list.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890',
  '0123456789',
  '1q2w3e4r5t',
  'qwertyuiop',
  'asdfghjkl;',
  '1qaz2wsx3edc',
  'qwerty1234',
  'qwerty12345',
  'password12',
  'password123',
  'password1234',
  'password!1',
  'passw0rd123',
  'p@ssw0rd123',
  'iloveyou12',
  'letmein123',
  'welcome123',
  'welcome1234',
  'changeme123',
  'administrator',
  'admin12345',
  'admin123456',
  'abcdefghij',
  'abcd123456',
  'trustno1234',
  'football123',
  'baseball123',
  'sunshine123',
  'princess123',
  'dragon1234',
  'monkey1234',
  'starwars123',
  'hospital123',
  'radiology1',
  'radiology123',
  'neurosphere',
  'neurosphere1',
  'neurosphere123',
  'doctor1234',
  'patient123',
  'patient1234',
  'nurse12345',
  'clinic1234',
  'secret1234',
  'zaq12wsxcde3',
  'correcthorsebatterystaple',
]);

/** What is wrong with a password, or an empty list when it passes. Each reason says what to do. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}).`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  const folded = password.normalize('NFKC').toLowerCase();
  const name = username.trim().toLowerCase();
  if (name.length >= 3 && folded.includes(name))
    problems.push('Do not use the username in the password.');
  if (COMMON_PASSWORDS.has(folded.replace(/\s+/g, '')))
    problems.push('This password is on the list of commonly used passwords; choose another.');
  else if (length >= 1 && isTrivialPattern(folded))
    problems.push('Avoid a repeated or sequential pattern (like "aaaa…" or "1234…").');
  return problems;
}

/** One character repeated, or a run of consecutive code points up or down ("abcdef", "98765"). */
function isTrivialPattern(text: string): boolean {
  const codes = [...text].map((c) => c.codePointAt(0) ?? 0);
  if (codes.length < 2) return false;
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  if (Math.abs(step) > 1) return false;
  return codes.every((code, i) => i === 0 || code - (codes[i - 1] ?? 0) === step);
}
