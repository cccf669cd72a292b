/** Reads stdin to its end, at most `maxBytes` (a password, not a file). */
export async function readStdin(
  stdin: AsyncIterable<string | Buffer>,
  maxBytes = 64 * 1024,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.byteLength;
    if (size > maxBytes) throw new Error(`stdin holds more than ${maxBytes} bytes.`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `echo pw | neurosphere users add ...` appends a newline that is not part of the password. */
export function withoutTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}
